/**
 * `hunt run` on DuckDB stops on the first SIGINT or SIGTERM, as the README says signals stop
 * queries, even while DuckDB is still planning the query: the real CLI process, a search of
 * tens of thousands of ORs that DuckDB otherwise plans for a minute or more.
 * (Not the default action of the signal: the run's own message must come first.)
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-duckdb-signal-'));
// as root the embedded server runs as `postgres`, which must reach HUNT_HOME (else it goes elsewhere)
chmodSync(dir, 0o755);
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };
const hour = ['--earliest', '2026-11-18T10:00:00Z', '--latest', '2026-11-18T11:00:00Z'];
const ors = Array.from({ length: 30000 }, (_, i) => `eventName=e${i}`).join(' OR ');
const detection = join(dir, 'many_ors.yml');
writeFileSync(
  detection,
  `name: Many ORs\nid: many-ors\nversion: 1\nsearch: '\`cloudtrail\` (${ors}) | stats count by userName'\n`,
);

let lake: TestLake;
let compileMs = 0;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: [ct({ time: '2026-11-18T10:10:00Z', who: iamUser('mallory') })] });
  // how long the CLI takes to get as far as the query here: a dry run compiles the same search
  const t = performance.now();
  const dry = await hunt(['run', detection, '--dry-run', '--lake', lake.dir, ...hour], env);
  expect(dry.code, dry.stderr).toBe(0);
  compileMs = performance.now() - t;
  // the embedded database's first use (initdb) before the stored run
  const first = await hunt(['report', 'risk'], env);
  expect(first.code, first.stderr).toBe(0);
});
afterAll(async () => {
  await lake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test.each([
  ['SIGINT', '--no-store'],
  ['SIGTERM', '--no-store'],
  // stored: the embedded database's own exit hooks must leave the run's shutdown to the run
  ['SIGINT', 'stored'],
] as const)('%s stops hunt run while DuckDB plans the query (%s)', async (signal, store) => {
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'bin', 'hunt.js'),
      'run',
      detection,
      '--lake',
      lake.dir,
      ...(store === 'stored' ? [] : ['--no-store']),
      ...hour,
    ],
    { env: { ...process.env, ...env } },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig, at: performance.now() })),
  );
  // well past compiling: the query is with DuckDB by then (a minute or more of planning)
  await new Promise((r) => setTimeout(r, compileMs * 2 + (store === 'stored' ? 6000 : 3000)));
  const sent = performance.now();
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const end = await exited;
  clearTimeout(killer);

  // handled: the run says it was interrupted, then exits 1, or, while DuckDB's planning still
  // holds the process, ends by the signal raised again (a shell's 128+n)
  expect(stderr).toContain(`hunt: Many ORs: DuckDB: query was aborted (interrupted (${signal})); interrupted it`);
  expect(end.signal === null ? end.code : end.signal, stderr).toBe(end.signal === null ? 1 : signal);
  expect(end.at - sent, stderr).toBeLessThan(15_000);
  if (store === 'stored') {
    // the run gave its lease back and, the last user, stopped the server
    const status = await hunt(['db', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ initialised: true, running: false, clients: [] });
  }
});
