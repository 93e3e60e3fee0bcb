/**
 * Batched windows, construct by construct: searches (not detections of the corpus) that use
 * what the corpus does not (head, tail, sort limits, dedup, now(), relative_time, eventstats
 * without BY, a filtering subsearch, stats without BY), each batched against the loop of
 * runWindow on the same lake; which of them refuse and why; runs split at gaps; a failed
 * batch falls back; an abort runs nothing more; and the Athena side (Trino parse of every
 * batched corpus query, one batched run through the Athena stand-in).
 */
import { readdirSync } from 'node:fs';
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import type { Detection } from '../../src/detections/model.js';
import { AthenaEngine } from '../../src/engines/athena/engine.js';
import type { Engine, QueryRequest } from '../../src/engines/engine.js';
import type { Prepared } from '../../src/translate/prepare.js';
import { runWindow } from '../../src/runner/run-window.js';
import { runWindows } from '../../src/runner/run-windows.js';
import type { RunRecord } from '../../src/store/model.js';
import { BATCH_KEY_COLUMN, type BatchSpec } from '../../src/translate/batch-plan.js';
import {
  translateBatched,
  translateDetection,
  TranslateError,
  type TranslateOptions,
} from '../../src/translate/translate.js';
import { TranslationAnswerer } from '../support/athena-answerer.js';
import { corpusDetection, type CorpusSet } from '../support/corpus.js';
import { ct, iamUser } from '../support/events.js';
import { macrosWith, makeLake, type TestLake } from '../support/hunt.js';
import { shared } from '../support/shared.js';
import { TEST_LOOKUPS } from '../support/lookups.js';
import { fakeTiming, settings, startStandins } from '../engines/athena-helpers.js';
import { hourlyWindows } from './corpus-lake.js';

const macros = macrosWith();
const base = loadCatalog('detections').detections[0] as Detection;
const START = DateTime.fromISO('2026-11-18T00:50:00Z', { zone: 'utc' });
const windows = hourlyWindows(START, 12);

const opts = (dialect: 'duckdb' | 'athena'): TranslateOptions => ({
  dialect,
  macros,
  zone: 'UTC',
  lookups: TEST_LOOKUPS,
});
function prepared(search: string, dialect: 'duckdb' | 'athena' = 'duckdb'): Prepared {
  const detection: Detection = { ...base, search, rba: { ...base.rba, riskObjects: [], threatObjects: [] } };
  return {
    detection,
    translation: translateDetection(detection, opts(dialect)),
    batched: (spec: BatchSpec) => translateBatched(search, opts(dialect), spec),
  };
}

// PutImage uploads (the default ct() event) by four users at times that hit the bounds:
// 00:50:00.000 is window 0's first ms, 01:49:59.999 its last, 01:50:00.000 window 1's first
const at = (iso: string, who: string) => ct({ time: iso, who: iamUser(who) });
const events = [
  at('2026-11-18T00:50:00.000Z', 'alice'),
  at('2026-11-18T01:10:00.000Z', 'bob'),
  at('2026-11-18T01:20:00.000Z', 'alice'),
  at('2026-11-18T01:49:59.999Z', 'carol'),
  at('2026-11-18T01:50:00.000Z', 'dora'),
  at('2026-11-18T02:05:00.000Z', 'alice'),
  at('2026-11-18T02:06:00.000Z', 'alice'),
  at('2026-11-18T02:07:00.000Z', 'bob'),
  // carol: once in window 0, twice in window 2 (in the same chunk of 5)
  at('2026-11-18T03:00:00.000Z', 'carol'),
  at('2026-11-18T03:10:00.000Z', 'carol'),
  // windows 3 and 4 empty; then a busy window 5 and two more
  ...Array.from({ length: 9 }, (_, i) =>
    at(`2026-11-18T06:${String(i * 5 + 1).padStart(2, '0')}:00.000Z`, ['alice', 'bob', 'carol'][i % 3] as string),
  ),
  at('2026-11-18T08:30:00.000Z', 'erin'),
  at('2026-11-18T11:49:59.999Z', 'bob'),
];

const essence = (r: RunRecord) => ({ window: r.windowEarliest, status: r.status, results: r.results });

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake?.close());

async function both(p: Prepared, ws = windows, engine: Engine = lake.engine) {
  const one: RunRecord[] = [];
  for (const w of ws) one.push(await runWindow(engine, p, w, 'backfill'));
  const reasons: string[] = [];
  const many = await runWindows(engine, p, ws, 'backfill', { maxBatch: 5, onFallback: (r) => reasons.push(r) });
  return { one, many, reasons };
}

const CT = '`cloudtrail` eventName=PutImage | rename userIdentity.userName as user';

describe('searches that batch give what window by window gives', () => {
  const cases: [string, string][] = [
    ['head: the first 2 events of each window', `${CT} | head 2 | table _time user`],
    ['tail: the last 2, in reverse', `${CT} | tail 2 | table _time user`],
    ['sort with a limit, by user then time', `${CT} | sort 3 user - _time | table _time user`],
    ['dedup: the latest event of each user', `${CT} | dedup user | table _time user`],
    [
      'eventstats without BY: the window total on each row',
      `${CT} | eventstats count as total | table _time user total`,
    ],
    [
      'now() and relative_time(now()): the last 30 minutes of the window',
      `${CT} | eval n=now() | where _time >= relative_time(now(), "-30m") | table _time user n`,
    ],
    ['stats BY, then a where on the count', `${CT} | stats count by user | where count > 1`],
    [
      'fillnull without fields: fields present in some result of the window',
      `${CT} | eval x=if(user="bob", "b", null()) | fillnull | table _time user x`,
    ],
    // the users with two uploads or more in the window: per window, not over the whole range
    [
      'a filtering subsearch over the same window',
      '`cloudtrail` eventName=PutImage [search `cloudtrail` eventName=PutImage | stats count by userIdentity.userName | where count >= 2 | fields userIdentity.userName] | rename userIdentity.userName as user | table _time user',
    ],
    // lookup rows are the same in every window: joined or searched for without a window number
    [
      'lookup: each window joins the same lookup rows',
      `${CT} | lookup owners_ci user OUTPUT team | table _time user team`,
    ],
    [
      'a filtering subsearch of lookup rows',
      '`cloudtrail` eventName=PutImage [| inputlookup owners | table user] | table _time user',
    ],
    [
      'append: both parts per window',
      `${CT} | stats count by user | append [search \`cloudtrail\` eventName=PutImage | stats dc(userIdentity.userName) as users by eventName]`,
    ],
  ];
  test.each(cases)('%s', async (_, search) => {
    const p = prepared(search);
    const { one, many, reasons } = await both(p);
    expect(reasons).toEqual([]);
    expect(many.map(essence)).toEqual(one.map(essence));
    expect(many.every((r) => r.stats.batch !== undefined)).toBe(true);
    // not vacuous: several windows have rows, at least one has none
    const withRows = one.filter((r) => r.results.length > 0).length;
    expect(withRows).toBeGreaterThanOrEqual(2);
    expect(withRows).toBeLessThan(windows.length);
  });
});

describe('searches that cannot be made per window exactly go window by window', () => {
  test('stats without BY: an empty window gives count=0 alone, which a grouped query cannot give', async () => {
    const p = prepared(`${CT} | stats count dc(user) as users`);
    const { one, many, reasons } = await both(p);
    expect(reasons).toEqual([expect.stringMatching(/^an aggregate without BY/)]);
    expect(many.map(essence)).toEqual(one.map(essence));
    expect(many.some((r) => r.stats.batch)).toBe(false);
    expect(one[3]?.results).toEqual([{ count: 0, users: 0 }]);
  });
});

describe('runs of windows', () => {
  const p = prepared(`${CT} | stats count by user`);

  test('a gap (and windows out of order) starts a new run; records keep the order given', async () => {
    const ws = [...windows.slice(0, 3), ...windows.slice(5, 9), windows[11], windows[10]].filter(
      (w): w is (typeof windows)[number] => !!w,
    );
    const { one, many } = await both(p, ws);
    expect(many.map(essence)).toEqual(one.map(essence));
    // runs: 0-2 (one query), 5-8 (one), 11 and 10 alone (window by window)
    expect(many.map((r) => (r.stats.batch as { queryIndex: number } | undefined)?.queryIndex)).toEqual([
      0,
      0,
      0,
      1,
      1,
      1,
      1,
      undefined,
      undefined,
    ]);
  });

  test('progress per query: chunks of 5 of 12 windows', async () => {
    const seen: [number, number][] = [];
    await runWindows(lake.engine, p, windows, 'backfill', { maxBatch: 5, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [5, 12],
      [10, 12],
      [12, 12],
    ]);
  });

  test('a failed batch query falls back to window by window for its chunk only', async () => {
    let failures = 0;
    const flaky: Engine = {
      name: 'duckdb',
      dialect: 'duckdb',
      // the first batched query fails, as a query too big for the engine would
      query: (req: QueryRequest) => {
        if (req.sql.includes(BATCH_KEY_COLUMN) && failures++ === 0)
          return Promise.reject(new Error('Query exhausted resources'));
        return lake.engine.query(req);
      },
      close: () => Promise.resolve(),
    };
    const { one, many, reasons } = await both(p, windows, flaky);
    expect(reasons).toEqual(['the batched query failed: Query exhausted resources']);
    expect(many.map(essence)).toEqual(one.map(essence));
    expect(many.map((r) => (r.stats.batch ? 'b' : '1')).join('')).toBe('11111bbbbbbb');
  });

  test('after an abort no query runs: the windows left are failed records', async () => {
    const ac = new AbortController();
    ac.abort();
    let queries = 0;
    const counting: Engine = {
      ...lake.engine,
      name: 'duckdb',
      dialect: 'duckdb',
      query: (r) => {
        queries++;
        return lake.engine.query(r);
      },
      close: () => Promise.resolve(),
    };
    const many = await runWindows(counting, p, windows, 'backfill', { signal: ac.signal });
    expect(queries).toBe(0);
    expect(many).toHaveLength(12);
    expect(many.every((r) => r.status === 'failed' && r.error === 'aborted before it ran')).toBe(true);
  });
});

describe('Athena', () => {
  const trino = new TrinoSQL();
  const spec: BatchSpec = { windowSeconds: 3600, offsetSeconds: 3000 };

  test('every batched corpus query parses as Trino, and the window number is no parameter', () => {
    const corpusMacros = macrosWith();
    let checked = 0;
    for (const set of ['cloudtrail', 'asl'] as CorpusSet[]) {
      for (const f of readdirSync(shared('escu', set)).filter((x) => x.endsWith('.yml'))) {
        const d = corpusDetection(set, f);
        let t: ReturnType<typeof translateBatched>;
        try {
          t = translateBatched(d.search, { dialect: 'athena', macros: corpusMacros, zone: 'UTC' }, spec);
        } catch (err) {
          if (err instanceof TranslateError) continue;
          throw err;
        }
        expect(t.ok, f).toBe(true);
        if (!t.ok) continue;
        expect(trino.validate(t.translation.sql), f).toEqual([]);
        // the same window parameters as the single-window query: only the whole range is bound
        const single = translateDetection(d, { dialect: 'athena', macros: corpusMacros, zone: 'UTC' });
        expect(t.translation.slots, f).toEqual(single.slots);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(65);
  });

  test('a batched run through the Athena stand-in gives what DuckDB gives window by window', async () => {
    const s = await startStandins();
    const answerer = new TranslationAnswerer(lake.dir);
    s.athena.answerer = answerer.answer;
    const engine = new AthenaEngine(settings(), { timing: fakeTiming() });
    try {
      const search = `${CT} | eval n=now() | stats count max(n) as n by user | where count >= 1`;
      const pa = prepared(search, 'athena');
      const pd = prepared(search, 'duckdb');
      const ba = pa.batched?.(spec);
      const bd = pd.batched?.(spec);
      if (!ba?.ok || !bd?.ok) throw new Error('expected both to batch');
      answerer.register(ba.translation, bd.translation);
      const many = await runWindows(engine, pa, windows, 'backfill', { maxBatch: 12 });
      const one: RunRecord[] = [];
      for (const w of windows) one.push(await runWindow(lake.engine, pd, w, 'backfill'));
      expect(many.map(essence)).toEqual(one.map(essence));
      expect(answerer.runs).toHaveLength(1);
      expect(one.filter((r) => r.results.length > 0).length).toBeGreaterThanOrEqual(3);
    } finally {
      await engine.close();
      await answerer.close();
      await s.close();
    }
  });
});
