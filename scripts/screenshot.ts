/**
 * `npm run screenshot`: the README's picture of the HTML report (docs/report.png). Builds the
 * CLI, runs `hunt demo` into a throwaway HUNT_HOME and a throwaway embedded Postgres (never the
 * user's database: the demo replaces its runs), writes `hunt report --html` over the demo's
 * week, and photographs the page in headless Chromium (Debian's, via playwright-core).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureEmbeddedServer } from '../src/store/embedded.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// a fixed "now" so the picture only changes when the demo or the page does
const NOW = '2026-11-24T10:30:00Z';
const OUT = join('docs', 'report.png');

const dir = mkdtempSync(join(tmpdir(), 'hunt-screenshot-'));
// as root the server runs as `postgres`, which must be able to enter the directory
chmodSync(dir, 0o755);
try {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const server = await ensureEmbeddedServer(join(dir, 'postgres'), {
    settings: { fsync: 'off', synchronous_commit: 'off' },
  });
  try {
    const env = { ...process.env, HUNT_HOME: join(dir, 'home'), DATABASE_URL: server.url('postgres') };
    const hunt = (args: string[]): void => {
      execFileSync(process.execPath, ['bin/hunt.js', ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    };
    hunt(['demo', '--now', NOW, '--days', '7']);
    const page = join(dir, 'report.html');
    hunt(['report', '--html', page, '--now', NOW, '--since', '-7d@d', '--until', 'now']);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({
        offline: true,
        viewport: { width: 1180, height: 900 },
        deviceScaleFactor: 1,
      });
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      mkdirSync('docs', { recursive: true });
      await tab.screenshot({ path: OUT, fullPage: true });
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
  console.log(`wrote ${OUT} (${Math.round(statSync(OUT).size / 1024)} KB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
