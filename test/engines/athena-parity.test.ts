/**
 * The same detections, the same lake, two engines: AthenaEngine (the real SDK over HTTP to the
 * stand-in, which answers each Athena query by running the DuckDB rendering of the same plan)
 * and DuckdbEngine directly. Through src/runner/run-window.ts, results and risk events must be
 * identical: what this proves is the Athena side of the path (parameters rendered as literals
 * and read back, the window and partition days they carry, result typing through pages and
 * through the S3 CSV, column names, NULLs) loses nothing the DuckDB side keeps.
 * Then configuration values that are hostile as SQL travel the same way and arrive inert.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import type { Detection } from '../../src/detections/model.js';
import { AthenaEngine } from '../../src/engines/athena/engine.js';
import type { Engine } from '../../src/engines/engine.js';
import { runWindow } from '../../src/runner/run-window.js';
import { bindParams } from '../../src/sql/params.js';
import { windowOf } from '../../src/time/window.js';
import { translateDetection, translateSearch, type Translation } from '../../src/translate/translate.js';
import { TranslationAnswerer } from '../support/athena-answerer.js';
import {
  assumedRole,
  ct,
  iamUser,
  ocsf,
  putImageRequest,
  rootUser,
  scanFindingsResponse,
  scanRequest,
} from '../support/events.js';
import { macrosWith, makeLake, type TestLake } from '../support/hunt.js';
import { fakeTiming, settings, startStandins, type Standins } from './athena-helpers.js';

const shipped = loadCatalog('detections').detections;
const seeds = loadCatalog('test/fixtures/seeds').detections;
const window = windowOf('2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z');
const macros = macrosWith();

// Wednesday 18 and Saturday 21 November 2026. Values chosen to be awkward on the way back:
// commas, quotes, newlines and unicode in result text, users that differ only in case.
const AWKWARD = 'heap overflow, "critical"\nsecond line: ünïcödé 🙂';
const cloudtrail = [
  ct({ time: '2026-11-18T10:15:00Z', who: iamUser('alice') }),
  ct({ time: '2026-11-18T21:30:00Z', who: iamUser('mallory'), ip: '203.0.113.50' }),
  ct({ time: '2026-11-18T21:45:00Z', who: iamUser('mallory'), ip: '203.0.113.50' }),
  ct({ time: '2026-11-18T07:59:59Z', who: iamUser('bob'), request: putImageRequest('api, "v2"', 'v2') }),
  ct({ time: '2026-11-21T12:00:00Z', who: iamUser('carol') }),
  ct({ time: '2026-11-21T22:00:00Z', who: iamUser('USER') }),
  ct({ time: '2026-11-18T23:00:00Z', who: assumedRole('ci-role', 'session-1') }),
  ct({ time: '2026-11-18T10:20:00Z', who: rootUser() }),
  ct({ time: '2026-11-18T20:00:00Z', who: iamUser('erin'), extra: { sourceIPAddress: undefined } }),
  // empty strings are values (not NULL) all the way to the result rows
  ct({ time: '2026-11-18T22:10:00Z', who: iamUser('dora'), agent: '', request: putImageRequest('', 'v1') }),
  ct({
    time: '2026-11-18T10:00:00Z',
    name: 'DescribeImageScanFindings',
    request: scanRequest('web'),
    response: scanFindingsResponse('web', [
      { name: 'CVE-2026-0001', severity: 'MEDIUM', description: AWKWARD },
      { name: 'CVE-2026-0002', severity: 'HIGH', description: 'rce' },
      { name: 'CVE-2026-0003', severity: 'medium', description: '' },
    ]),
  }),
  // enough night-time uploads by distinct users that results run past one GetQueryResults page
  ...Array.from({ length: 1100 }, (_, i) =>
    ct({
      time: `2026-11-19T${String(20 + (i % 4)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
      who: iamUser(`bulk-${String(i).padStart(4, '0')}`),
    }),
  ),
];
const asl = [
  ocsf({ time: '2026-11-18T10:00:00Z', userName: 'alice' }),
  ocsf({ time: '2026-11-18T21:00:00Z', userName: 'mallory' }),
  ocsf({ time: '2026-11-18T07:30:00Z', userName: 'bob, "the builder"' }),
  ocsf({ time: '2026-11-21T12:00:00Z', userName: 'carol', agent: 'agent with\nnewline' }),
  ocsf({ time: '2026-11-18T22:00:00Z', userName: 'mallory', operation: 'DescribeImages' }),
  ocsf({ time: '2026-11-19T03:00:00Z', userName: null, ip: null }),
  ocsf({ time: '2026-11-19T04:00:00Z', userName: 'dora', agent: '' }),
];

let s: Standins;
let lake: TestLake;
let answerer: TranslationAnswerer;
const athenaEngines: AthenaEngine[] = [];

beforeAll(async () => {
  s = await startStandins();
  lake = await makeLake({ cloudtrail, ocsf: asl });
  answerer = new TranslationAnswerer(lake.dir);
  s.athena.answerer = answerer.answer;
  // every query takes a few polls, as on the real service
  s.athena.script({ match: /./, states: ['QUEUED', 'RUNNING', 'RUNNING'] });
});
afterAll(async () => {
  for (const e of athenaEngines) await e.close();
  await answerer.close();
  await lake.close();
  await s.close();
});

function athena(s3ResultRows: number): AthenaEngine {
  const e = new AthenaEngine(settings({ s3ResultRows }), { timing: fakeTiming() });
  athenaEngines.push(e);
  return e;
}

/** Registers the detection's pair with the answerer; returns both translations. */
function pair(d: Detection): { athena: Translation; duckdb: Translation } {
  const t = {
    athena: translateDetection(d, { dialect: 'athena', macros, zone: 'UTC' }),
    duckdb: translateDetection(d, { dialect: 'duckdb', macros, zone: 'UTC' }),
  };
  answerer.register(t.athena, t.duckdb);
  return t;
}

async function run(engine: Engine, detection: Detection, translation: Translation) {
  const r = await runWindow(engine, { detection, translation }, window, 'adhoc');
  if (r.status !== 'succeeded') throw new Error(`${engine.name}: ${r.error}`);
  return r;
}

describe('AthenaEngine through the stand-in returns what DuckdbEngine returns', () => {
  const detections = [...shipped, ...seeds];

  test('the corpus of this test: five shipped detections and five seed versions', () => {
    expect(shipped).toHaveLength(5);
    expect(seeds).toHaveLength(5);
  });

  test.each(detections.map((d) => [`${d.name} v${d.version}`, d] as const))('%s (pages and S3 CSV)', async (_, d) => {
    const t = pair(d);
    const expected = await run(lake.engine, d, t.duckdb);
    const viaPages = await run(athena(1_000_000), d, t.athena);
    const viaS3 = await run(athena(50), d, t.athena);
    expect(viaPages.results).toEqual(expected.results);
    expect(viaPages.riskEvents).toEqual(expected.riskEvents);
    expect(viaS3.results).toEqual(expected.results);
    expect(viaS3.riskEvents).toEqual(expected.riskEvents);
    // the parameters the answerer read back are the ones bound for this window
    const last = answerer.runs.at(-1);
    expect(last?.params).toEqual(bindParams(t.athena.slots, window));
    expect(last?.window.earliest.toMillis()).toBe(window.earliest.toMillis());
    expect(last?.window.latest.toMillis()).toBe(window.latest.toMillis());
    // a large result really took the S3 path
    if (expected.results.length > 1000) {
      expect(viaS3.stats.result_source).toBe('s3');
      expect(viaPages.stats.result_source).toBe('pages');
    }
  });

  test('the comparison has teeth: the results are not empty, and some take the S3 path', async () => {
    const sizes = await Promise.all(
      shipped.map(async (d) => (await run(lake.engine, d, pair(d).duckdb)).results.length),
    );
    expect(sizes.every((n) => n > 0)).toBe(true);
    expect(sizes.some((n) => n > 1000)).toBe(true);
  });

  test('awkward values survive: the scan finding description with comma, quotes, newline and unicode', async () => {
    const d = shipped.find((x) => x.name === 'AWS ECR Container Scanning Findings Medium') as Detection;
    const r = await run(athena(0), d, pair(d).athena);
    expect(r.results.map((x) => x.finding_description)).toContain(AWKWARD);
  });

  test("empty strings stay '' (not NULL, which would drop the field) through pages and the CSV", async () => {
    const d = shipped.find((x) => x.name === 'AWS ECR Container Upload Unknown User') as Detection;
    const t = pair(d);
    for (const e of [athena(1_000_000), athena(50)]) {
      const dora = (await run(e, d, t.athena)).results.find((x) => x.user === 'dora');
      expect(dora).toMatchObject({ user_agent: '', image: '' });
    }
  });
});

describe('searches beyond the shipped detections', () => {
  test.each([
    // multivalue results: Athena writes arrays as [a, b]; read back as lists
    [
      'values() and dc()',
      '`cloudtrail` eventName=PutImage | stats values(userName) as users dc(userName) as n by eventName',
    ],
    // a value holding ", " and quotes: multivalue columns leave Athena as JSON, so it stays one value
    [
      'values() with a comma in a value',
      '`amazon_security_lake` api.operation=PutImage | stats values(actor.user.name) as users by api.operation',
    ],
    [
      'list() of a numeric field',
      '`cloudtrail` eventName=PutImage | eval h=tonumber(strftime(_time, "%H")) | stats list(h) as hours max(h) as latest by awsRegion',
    ],
    [
      'NULLs and numbers in a table',
      '`cloudtrail` eventName=PutImage userName=bulk-000* | eval half=if(match(userName, "[13579]$"), 0.5, null()) | table _time userName half',
    ],
  ])('%s', async (_, search) => {
    const t = answerer.registerSearch(search, { macros });
    const detection = { ...(shipped[0] as Detection), search };
    const expected = await run(lake.engine, detection, t.duckdb);
    expect(expected.results.length).toBeGreaterThan(0);
    expect((await run(athena(1_000_000), detection, t.athena)).results).toEqual(expected.results);
    expect((await run(athena(0), detection, t.athena)).results).toEqual(expected.results);
  });
});

describe('hostile values from configuration arrive inert, end to end', () => {
  const search = '`cloudtrail` eventName=PutImage NOT `aws_ecr_users` | stats count by userName';
  const splQuoted = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const hostile = [
    "it's",
    "x' OR '1'='1",
    "'; DROP TABLE cloudtrail_logs; --",
    'a\\b',
    'x -- y',
    'x; DROP TABLE t',
    '*/ x /*',
    'line\nbreak',
    'ünïcödé ✓ 𝕏🙂',
    '?',
  ];
  let hostileLake: TestLake;
  let hostileAnswerer: TranslationAnswerer;
  beforeAll(async () => {
    // one upload by a user named exactly like each hostile value, and two ordinary ones
    hostileLake = await makeLake({
      cloudtrail: [
        ...hostile.map((name, i) =>
          ct({ time: `2026-11-18T10:${String(i).padStart(2, '0')}:00Z`, who: iamUser(name) }),
        ),
        ct({ time: '2026-11-18T11:00:00Z', who: iamUser('alice') }),
        ct({ time: '2026-11-18T11:05:00Z', who: iamUser('bob') }),
      ],
    });
    hostileAnswerer = new TranslationAnswerer(hostileLake.dir);
  });
  afterAll(async () => {
    await hostileAnswerer.close();
    await hostileLake.close();
  });

  test.each(hostile.map((v) => [v]))(
    'allow-listed user %j: excluded exactly as DuckDB excludes it, the value read back unchanged',
    async (value) => {
      s.athena.answerer = hostileAnswerer.answer;
      const m = macrosWith({ aws_ecr_users: `userName=${splQuoted(value)}` });
      const t = hostileAnswerer.registerSearch(search, { macros: m });
      const slot = t.athena.slots.findIndex((x) => x.kind === 'value');
      // the SQL text does not depend on the value (only on whether it has a wildcard: LIKE or =)
      const placeholder = value.includes('*') ? 'place*holder' : 'placeholder';
      const neutral = translateSearch(search, {
        dialect: 'athena',
        macros: macrosWith({ aws_ecr_users: `userName=${placeholder}` }),
        zone: 'UTC',
      });
      expect(t.athena.sql).toBe(neutral.sql);
      const params = bindParams(t.athena.slots, window);
      const got = await athena(1_000_000).query({ sql: t.athena.sql, params, idempotencyKey: `hostile|${value}` });
      const want = await hostileLake.engine.query({ sql: t.duckdb.sql, params: bindParams(t.duckdb.slots, window) });
      expect(got.rows).toEqual(want.rows.map((r) => ({ ...r, count: Number(r.count) })));
      // the value Athena received reads back as exactly the slot's value
      expect(hostileAnswerer.runs.at(-1)?.params[slot]).toEqual(params[slot]);
      // and it did its job: the user named like it is gone, the ordinary ones are there
      const users = got.rows.map((r) => r.username);
      expect(users).toEqual(expect.arrayContaining(['alice', 'bob']));
      if (!value.includes('*')) expect(users).not.toContain(value);
    },
  );

  test('a value Athena cannot carry fails the run with a clear error, and nothing runs', async () => {
    s.athena.answerer = hostileAnswerer.answer;
    const before = s.athena.calls('StartQueryExecution').length;
    const t = translateSearch(search, {
      dialect: 'athena',
      macros: macrosWith({ aws_ecr_users: `userName=${splQuoted('a'.repeat(1025))}` }),
      zone: 'UTC',
    });
    const detection = { ...(shipped[0] as Detection), search };
    const r = await runWindow(athena(1000), { detection, translation: t }, window, 'adhoc');
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^Athena parameter \?\d+: the string value renders as 1027 characters; Athena takes at most 1024 per parameter$/,
    );
    expect(s.athena.calls('StartQueryExecution').length).toBe(before);
  });
});
