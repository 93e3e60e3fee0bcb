import { sql } from 'slonik';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteRuns, saveRun } from '../../src/store/runs.js';
import { clearHistory, count, makeRun, riskEvent, storePerFile } from '../support/store.js';

const store = storePerFile();
const pool = () => store.db.pool;

beforeEach(async () => {
  await clearHistory(pool());
});

const findingTags = async (runId: string) =>
  pool().anyFirst(sql.unsafe`SELECT "row"->>'tag' FROM findings WHERE run_id = ${runId} ORDER BY ordinal`);

describe('saveRun', () => {
  it('stores a run with its findings and risk events', async () => {
    const run = makeRun({ findings: 4 });
    const saved = await saveRun(pool(), run);
    expect(saved.replaced).toBe(false);
    expect(saved.runId).toMatch(/^[0-9a-f-]{36}$/);

    const head = await pool().one(sql.unsafe`
      SELECT detection_id, detection_name, detection_version, trigger, engine, status, sql, params, warnings, error,
             stats, result_count, result_columns,
             to_char(window_earliest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS earliest,
             to_char(window_latest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS latest
      FROM runs WHERE id = ${saved.runId}`);
    expect(head).toMatchObject({
      detection_id: 'det-1',
      detection_name: 'Detection One',
      detection_version: 1,
      trigger: 'adhoc',
      engine: 'duckdb-v1',
      status: 'succeeded',
      sql: 'SELECT 1',
      params: ['2024-03-01T00:00:00Z', 3],
      warnings: [],
      error: null,
      stats: { bytesScanned: 1234 },
      result_count: 4,
      result_columns: ['i', 'tag', 'user'],
      earliest: '2024-03-01T00:00:00Z',
      latest: '2024-03-01T01:00:00Z',
    });
    const rows = await pool().anyFirst(
      sql.unsafe`SELECT "row" FROM findings WHERE run_id = ${saved.runId} ORDER BY ordinal`,
    );
    expect(rows).toEqual(run.results);
    const events = await pool().any(sql.unsafe`
      SELECT ordinal, risk_object, risk_object_type, risk_score, risk_message, detection_id, detection_name,
             detection_version, mitre_attack_ids, analytic_stories, threat_objects
      FROM risk_events WHERE run_id = ${saved.runId} ORDER BY ordinal`);
    expect(events).toHaveLength(4);
    expect(events[2]).toEqual({
      ordinal: 2,
      risk_object: 'user2',
      risk_object_type: 'user',
      risk_score: 10,
      risk_message: 'v1',
      detection_id: 'det-1',
      detection_name: 'Detection One',
      detection_version: 1,
      mitre_attack_ids: ['T1078'],
      analytic_stories: ['AWS Identity and Access Management Account Takeover'],
      threat_objects: [{ value: '203.0.113.7', type: 'ip_address' }],
    });
  });

  it('replaces a run with the same identity instead of adding one', async () => {
    const first = await saveRun(pool(), makeRun({ findings: 5, tag: 'v1' }));
    const second = await saveRun(
      pool(),
      makeRun({
        findings: 2,
        tag: 'v2',
        status: 'failed',
        error: 'boom',
        trigger: 'schedule',
        detectionName: 'Renamed',
      }),
    );
    expect(second).toEqual({ runId: first.runId, replaced: true });
    expect(await count(pool(), 'runs')).toBe(1);
    expect(await findingTags(first.runId)).toEqual(['v2', 'v2']);
    expect(await count(pool(), 'risk_events')).toBe(2);
    expect(await pool().anyFirst(sql.unsafe`SELECT DISTINCT risk_message FROM risk_events`)).toEqual(['v2']);
    expect(
      await pool().one(sql.unsafe`SELECT status, error, trigger, detection_name, result_count, engine FROM runs`),
    ).toEqual({
      status: 'failed',
      error: 'boom',
      trigger: 'schedule',
      detection_name: 'Renamed',
      result_count: 2,
      engine: 'duckdb-v2',
    });

    // saving the same record again changes nothing but the saved_at
    await saveRun(pool(), makeRun({ findings: 2, tag: 'v2' }));
    expect(await count(pool(), 'findings')).toBe(2);
  });

  it('treats another window, version or detection as another run', async () => {
    await saveRun(pool(), makeRun());
    await saveRun(pool(), makeRun({ windowEarliest: '2024-03-01T01:00:00Z', windowLatest: '2024-03-01T02:00:00Z' }));
    await saveRun(pool(), makeRun({ detectionVersion: 2 }));
    await saveRun(pool(), makeRun({ detectionId: 'det-2' }));
    // the same instant written with an offset is the same window
    const again = await saveRun(pool(), makeRun({ windowEarliest: '2024-03-01T01:00:00+01:00' }));
    expect(again.replaced).toBe(true);
    expect(await count(pool(), 'runs')).toBe(4);
  });

  it('stores runs of any size, in order, across insert batches', async () => {
    const n = 12_345;
    const run = makeRun({
      findings: n,
      riskEvents: Array.from({ length: n }, (_, i) => riskEvent({ risk_object: `u${i}`, risk_score: i % 10 })),
    });
    const { runId } = await saveRun(pool(), run);
    const check = await pool().one(sql.unsafe`
      SELECT count(*)::int AS n, min(ordinal) AS lo, max(ordinal) AS hi,
             bool_and(("row"->>'i')::int = ordinal) AS in_order
      FROM findings WHERE run_id = ${runId}`);
    expect(check).toEqual({ n, lo: 0, hi: n - 1, in_order: true });
    const events = await pool().one(sql.unsafe`
      SELECT count(*)::int AS n, bool_and(risk_object = 'u' || ordinal) AS in_order FROM risk_events WHERE run_id = ${runId}`);
    expect(events).toEqual({ n, in_order: true });
  });

  it('stores what JSON and Postgres text cannot hold as is: bigint, NUL', async () => {
    const run = makeRun({
      results: [{ big: 9007199254740993n, small: 42n, text: 'a\u0000b', nested: { list: [1n] } }],
      riskEvents: [riskEvent({ risk_message: 'nul\u0000here', risk_object: 'x\u0000y' })],
      sql: 'SELECT 1 -- \u0000',
      stats: { rows: 1n },
    });
    const { runId } = await saveRun(pool(), run);
    expect(await pool().oneFirst(sql.unsafe`SELECT "row" FROM findings WHERE run_id = ${runId}`)).toEqual({
      big: '9007199254740993',
      small: 42,
      text: 'a\uFFFDb',
      nested: { list: [1] },
    });
    expect(await pool().one(sql.unsafe`SELECT risk_message, risk_object FROM risk_events`)).toEqual({
      risk_message: 'nul\uFFFDhere',
      risk_object: 'x\uFFFDy',
    });
  });

  it('rejects a bad time before writing anything', async () => {
    await expect(saveRun(pool(), makeRun({ windowLatest: 'yesterday' }))).rejects.toThrow(
      /windowLatest: not an ISO 8601 time/,
    );
    await expect(
      saveRun(pool(), makeRun({ riskEvents: [riskEvent(), riskEvent({ risk_time: 'soon' })] })),
    ).rejects.toThrow(/riskEvents\[1\]\.risk_time/);
    expect(await count(pool(), 'runs')).toBe(0);
  });

  it('keeps one run when the same identity is saved concurrently', async () => {
    // Several writers of a brand-new identity race for the insert, then for the replacement.
    const versions = Array.from({ length: 8 }, (_, k) => makeRun({ findings: 50 + k * 10, tag: `v${k}` }));
    const results = await Promise.all(versions.map((run) => saveRun(pool(), run)));
    expect(new Set(results.map((r) => r.runId)).size).toBe(1);
    expect(results.filter((r) => !r.replaced)).toHaveLength(1);
    expect(await count(pool(), 'runs')).toBe(1);

    // the stored run is exactly one of the versions, whole: head, findings and events agree
    const head = await pool().one(sql.unsafe`SELECT id, engine, result_count FROM runs`);
    const tag = String(head.engine).replace('duckdb-', '');
    const k = Number(tag.slice(1));
    expect(head.result_count).toBe(50 + k * 10);
    const tags = await findingTags(String(head.id));
    expect(tags).toHaveLength(50 + k * 10);
    expect(new Set(tags)).toEqual(new Set([tag]));
    expect(await pool().anyFirst(sql.unsafe`SELECT DISTINCT risk_message FROM risk_events`)).toEqual([tag]);
    expect(await count(pool(), 'risk_events')).toBe(5);
  });
});

describe('deleteRuns', () => {
  it('deletes the runs with a trigger, with their findings and risk events', async () => {
    await saveRun(pool(), makeRun({ trigger: 'demo', findings: 3 }));
    await saveRun(pool(), makeRun({ trigger: 'demo', detectionId: 'det-2', findings: 4 }));
    const kept = await saveRun(pool(), makeRun({ trigger: 'adhoc', detectionId: 'det-3', findings: 2 }));

    expect(await deleteRuns(pool(), { trigger: 'demo' })).toBe(2);
    expect(await deleteRuns(pool(), { trigger: 'demo' })).toBe(0);
    expect(await pool().anyFirst(sql.unsafe`SELECT id::text FROM runs`)).toEqual([kept.runId]);
    expect(await count(pool(), 'findings')).toBe(2);
    expect(await count(pool(), 'risk_events')).toBe(2);
  });
});
