/** `hunt report …` as a real process over a real Postgres: formats, flags, bad input. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { saveRun } from '../../src/store/runs.js';
import { hunt } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { makeRun, riskEvent } from '../support/store-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-reports-'));
let database: TestDatabase;
let db: Database;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: database.url };
  db = await openDatabase({ databaseUrl: database.url, huntHome: join(dir, 'home') });
  await saveRun(
    db.pool,
    makeRun({
      windowEarliest: '2024-03-01T00:00:00Z',
      windowLatest: '2024-03-01T01:00:00Z',
      riskEvents: [
        riskEvent({
          risk_object: 'alice',
          risk_score: 40,
          risk_time: '2024-03-01T01:00:00Z',
          risk_message: 'alice, "the" scanner\nlisted 3 buckets',
        }),
        riskEvent({
          risk_object: 'web-1',
          risk_object_type: 'system',
          risk_score: 15,
          risk_time: '2024-03-01T01:00:00Z',
        }),
      ],
    }),
  );
});
afterAll(async () => {
  await db.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hunt report risk', () => {
  test('--json keeps the old keys and adds tactics and techniques', async () => {
    const r = await hunt(['report', 'risk', '--json', '--since', '2024-03-01T00:00:00Z'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      since: '2024-03-01T00:00:00.000Z',
      until: null,
      type: null,
      objects: [
        {
          risk_object: 'alice',
          risk_object_type: 'user',
          total_score: 40,
          events: 1,
          detections: ['Detection One'],
          tactics: ['Defense Evasion', 'Initial Access', 'Persistence', 'Privilege Escalation'],
          techniques: ['T1078'],
          first_time: '2024-03-01T01:00:00.000Z',
          last_time: '2024-03-01T01:00:00.000Z',
        },
        expect.objectContaining({ risk_object: 'web-1', risk_object_type: 'system', total_score: 15 }),
      ],
    });
  });

  test('--csv: a header, arrays joined with "; ", --type and --limit', async () => {
    const r = await hunt(['report', 'risk', '--csv', '--type', 'user', '--limit', '1'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'risk_object,risk_object_type,total_score,events,detections,tactics,techniques,first_time,last_time\r\n' +
        'alice,user,40,1,Detection One,Defense Evasion; Initial Access; Persistence; Privilege Escalation,T1078,2024-03-01T01:00:00.000Z,2024-03-01T01:00:00.000Z\r\n',
    );
  });

  test('the table right-aligns numbers; an empty range says so', async () => {
    const r = await hunt(['report', 'risk'], env);
    expect(r.stdout).toMatch(/│ alice +│ user +│ +40 │ +1 │/);
    const empty = await hunt(['report', 'risk', '--since', '2030-01-01'], env);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('(no risk events)');
  });
});

describe('hunt report object', () => {
  test('--csv quotes commas, quotes and line breaks (RFC 4180)', async () => {
    const r = await hunt(['report', 'object', 'ALICE', '--csv', '--since', '2024-02-01', '--until', '2024-04-01'], env);
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.split('\r\n');
    expect(header).toBe(
      'risk_time,risk_object,risk_object_type,risk_score,running_total,detection_id,detection_name,detection_version,risk_message,tactics,techniques,threat_objects,window_earliest,window_latest,run_id',
    );
    expect(row).toMatch(
      /^2024-03-01T01:00:00.000Z,alice,user,40,40,det-1,Detection One,1,"alice, ""the"" scanner\nlisted 3 buckets",Initial Access; Persistence; /,
    );
    expect(row).toContain(',ip_address:203.0.113.7,2024-03-01T00:00:00.000Z,2024-03-01T01:00:00.000Z,');
  });

  test('the default range is the last 7 days; an unknown object exits 0 and says so', async () => {
    const week = await hunt(['report', 'object', 'alice', '--now', '2024-03-08T00:59:59Z', '--json'], env);
    expect(week.code).toBe(0);
    const doc = JSON.parse(week.stdout) as { since: string; timeline: unknown[]; objects: { total_score: number }[] };
    expect(doc.since).toBe('2024-03-01T00:59:59.000Z');
    expect(doc.timeline).toHaveLength(1);
    expect(doc.objects[0]!.total_score).toBe(40);
    const later = await hunt(['report', 'object', 'alice', '--now', '2024-03-08T01:00:01Z'], env);
    expect(later.code).toBe(0);
    expect(later.stderr).toMatch(
      /no risk events for alice since 2024-03-01T01:00:01.000Z \(its last was at 2024-03-01T01:00:00.000Z\)/,
    );
    const typo = await hunt(['report', 'object', 'alcie', '--json'], env);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toMatch(/no risk events for alcie since .*none at any time: check the name/);
    expect(JSON.parse(typo.stdout)).toMatchObject({ risk_object: 'alcie', objects: [], timeline: [], last_seen: null });
  });
});

describe('hunt report detections and incidents', () => {
  test('detections --json; DuckDB runs have no data scanned', async () => {
    const r = await hunt(['report', 'detections', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).detections).toEqual([
      expect.objectContaining({
        detection_id: 'det-1',
        runs: 1,
        runs_adhoc: 1,
        findings: 3,
        risk_events: 2,
        total_score: 55,
        data_scanned_bytes: null,
      }),
    ]);
  });

  test('incidents: empty table', async () => {
    const r = await hunt(['report', 'incidents', '--status', 'open'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('(no incidents)');
  });
});

describe('bad input exits 2 and names the flag', () => {
  test.each([
    [['report', 'risk', '--type', 'admin'], /--type/],
    [['report', 'risk', '--limit', '0'], /--limit/],
    [['report', 'incidents', '--limit', 'ten'], /--limit/],
    [['report', 'incidents', '--status', 'new'], /--status/],
    [['report', 'risk', '--since', 'last tuesday'], /--since last tuesday/],
    [['report', 'detections', '--until', '-3x'], /--until -3x/],
    [['report', 'object', 'alice', '--json', '--csv'], /--json and --csv/],
    [['report', 'object'], /name/],
  ])('%j', async (args, message) => {
    const r = await hunt(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
