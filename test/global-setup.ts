/**
 * Runs once before the suite: builds dist/ so CLI tests exercise the current code.
 * (The store's embedded Postgres for tests is started here as well; see test/support/.)
 */
import { execFileSync } from 'node:child_process';

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
