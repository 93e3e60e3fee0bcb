/**
 * `hunt schedule` shutting down while a query runs on Athena: the real CLI process, the real
 * SDK, the Athena and S3 stand-ins (the query is made to hang there), a real Postgres. On
 * SIGTERM or SIGINT it stops the query (StopQueryExecution), gives its claim back (the ledger row
 * pending, the interrupted attempt not counted) and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { prepareRule } from '../../src/translate/prepare.js';
import { startStandins, type Standins } from '../engines/athena-helpers.js';
import { TranslationAnswerer } from '../support/athena-answerer.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';
import { clearHistory, count, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;
const dir = mkdtempSync(join(tmpdir(), 'hunt-schedule-shutdown-'));
const RULE = 'AWS ECR Container Upload Unknown User';
const STEM = 'aws_ecr_container_upload_unknown_user';
const configPath = join(dir, 'athena.yaml');
writeFileSync(
  configPath,
  `engine: athena\nathena:\n  output_location: s3://standin-results/hunt/\nschedule:\n  lease: 10s\n  enable_all: false\n  detections:\n    ${STEM}:\n      enabled: true\n`,
);

let standins: Standins;
let lake: TestLake;
let answerer: TranslationAnswerer;
beforeAll(async () => {
  standins = await startStandins();
  lake = await makeLake({
    cloudtrail: [
      ct({ time: '2026-11-18T09:30:00Z', who: iamUser('mallory') }),
      ct({ time: '2026-11-18T10:30:00Z', who: iamUser('mallory') }),
    ],
  });
  answerer = new TranslationAnswerer(lake.dir);
  standins.athena.answerer = answerer.answer;
  const c = loadConfig(configPath, { HUNT_HOME: join(dir, 'home') });
  answerer.register(prepareRule(RULE, c, 'athena').translation, prepareRule(RULE, c, 'duckdb').translation);
});
afterAll(async () => {
  await answerer?.close();
  await lake?.close();
  await standins?.close();
});
beforeEach(async () => {
  await clearHistory(pool());
});

const awsEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_'))) as NodeJS.ProcessEnv;

const ledgerRows = () =>
  pool().any(sql.unsafe`
    SELECT status, attempts, round_attempts, claimed_by, claim_id, error,
           to_char(window_latest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS latest
    FROM schedule_windows ORDER BY window_latest, pass`);

/** Starts the daemon at `now`, waits until its query is running on Athena, sends `signal`. */
async function interruptWhileRunning(now: string, signal: NodeJS.Signals) {
  standins.athena.script({ match: /./, hang: true, times: 1 });
  const started = standins.athena.calls('StartQueryExecution').length;
  const stopped = standins.athena.calls('StopQueryExecution').length;
  const child = spawn(
    process.execPath,
    [join(process.cwd(), 'bin', 'hunt.js'), 'schedule', '--now', now, '--config', configPath, '--log-format', 'json'],
    {
      env: { ...process.env, ...awsEnv(), DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') },
    },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // the query is in flight once it was started and polled at least once
  const polled = standins.athena.calls('GetQueryExecution').length;
  for (
    let i = 0;
    i < 400 &&
    (standins.athena.calls('StartQueryExecution').length === started ||
      standins.athena.calls('GetQueryExecution').length === polled);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(standins.athena.calls('StartQueryExecution').length, stderr).toBe(started + 1);
  // while it runs, the ledger shows the claim
  expect(await ledgerRows()).toMatchObject([{ status: 'running', attempts: 1 }]);
  child.kill(signal);
  const code = await exited;
  return { code, stderr, stops: standins.athena.calls('StopQueryExecution').length - stopped };
}

describe('hunt schedule shutdown with a query in flight on Athena', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: StopQueryExecution, the claim released (pending, attempts back to 0), exit 0',
    async (signal) => {
      // a window of its own per signal (the same window again would reuse the execution's token)
      const now = signal === 'SIGTERM' ? '2026-11-18T11:05:00Z' : '2026-11-18T12:05:00Z';
      const r = await interruptWhileRunning(now, signal);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stops).toBe(1);
      expect(await ledgerRows()).toEqual([
        {
          status: 'pending',
          attempts: 0,
          round_attempts: 0,
          claimed_by: null,
          claim_id: null,
          error: null,
          latest: signal === 'SIGTERM' ? '2026-11-18T10:50:00Z' : '2026-11-18T11:50:00Z',
        },
      ]);
      expect(await count(pool(), 'runs')).toBe(0);
      // the logs say what happened, as JSON lines
      const lines = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; signal?: string });
      expect(lines.find((l) => l.msg === 'signal received')?.signal).toBe(signal);
      expect(lines.map((l) => l.msg)).toContain('run interrupted; claim released');
    },
  );

  // The released window's next start sends the same ClientRequestToken, so Athena hands back the
  // execution the shutdown CANCELLED; the engine takes it for a leftover and starts afresh.
  test('after a shutdown the next start runs the released window and stores it', async () => {
    const r = await interruptWhileRunning('2026-11-18T13:05:00Z', 'SIGTERM');
    expect(r.code, r.stderr).toBe(0);
    const once = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(process.cwd(), 'bin', 'hunt.js'),
          'schedule',
          '--once',
          '--json',
          '--now',
          '2026-11-18T13:06:00Z',
          '--config',
          configPath,
        ],
        {
          env: { ...process.env, ...awsEnv(), DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(once.code, once.stderr).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({ planned: 0, succeeded: 1 });
    expect(await ledgerRows()).toMatchObject([{ status: 'succeeded', attempts: 1 }]);
    expect(await count(pool(), 'runs')).toBe(1);
  });
});
