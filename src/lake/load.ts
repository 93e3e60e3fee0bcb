import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { LAKE_TABLES, type LocalTableId, tablesOfFormat } from './layout.js';
import type { Stage } from './stage.js';
import { META_STRUCTURE, TABLE_IDS, TABLE_SQL } from './normalise-sql.js';
import { sqlString } from './sql.js';

/**
 * The import's working tables in its private DuckDB, which never hold the records' full
 * parsed form (touching fresh memory cost more than parsing on the small VMs measured):
 * - `lines(hunt_seq, line)`: the staged records' JSON text, one row each;
 * - `meta`: per record its input, table, problem, key and partition values, from a narrow
 *   parse of the keys that decide those.
 * The staged chunks are split into `lines` while staging goes on (on the core JavaScript leaves
 * free); `meta` is then built in one parallel pass. The full parse happens once more per table while
 * writing (write-table.ts), straight into the Parquet writer. Nothing here touches the lake.
 */
export const LINES = 'lines';
export const META = 'meta';
export const SEQ = 'hunt_seq';
export const INPUT = 'hunt_input';
export const TBL = 'hunt_tbl';
export const KEY = 'hunt_key';
/** problem text; NULL for a usable record */
export const PROBLEM = 'problem';
/** why a usable record is not written: 'repeat' (earlier in this import) or 'known' (in the lake) */
export const DUP = 'hunt_dup';
/** a recognised record hunt deliberately does not store (its problem says why) */
export const UNSUPPORTED = 'hunt_unsupported';
/** a duplicate whose content differs from the record kept */
export const CONFLICT = 'hunt_conflict';

/** The `meta` column holding partition value `i` (its meaning depends on the record's table). */
export function partColumn(i: number): string {
  return `hunt_p${i}`;
}

export const MAX_PARTITIONS = Math.max(...TABLE_IDS.map((id) => TABLE_SQL[id].rule.partitions.length));

/** Staged text is not valid JSON or UTF-8: only the byte-level splitter lets that through. */
export class StageLoadError extends Error {}

/** CASE over the record's table, NULL for an unrecognised record. */
function perTable(pick: (id: LocalTableId) => string | undefined): string {
  const arms = TABLE_IDS.map((id) => [id, pick(id)] as const).filter(([, e]) => e !== undefined);
  if (arms.length === 0) return 'NULL::VARCHAR';
  return `CASE r.${TBL} ${arms.map(([id, e]) => `WHEN ${sqlString(id)} THEN ${e}`).join(' ')} END`;
}

/**
 * Hands staged chunks to DuckDB in the background as they arrive, on `lanes` connections in
 * turn, while JavaScript reads on: each chunk is split into its lines right away. (Splitting all
 * chunks in one pass after staging left a core idle while JavaScript scanned and cost ~0.3 s
 * per 200,000 records more; classifying chunk by chunk was slower than the one pass of `meta`.)
 * decode() rejects bytes that are not UTF-8; generate_subscripts next to unnest numbers the
 * lines (WITH ORDINALITY was ~1000x slower).
 */
export class ChunkLoader {
  private readonly lanes: { conn: DuckDBConnection; insert: DuckDBPreparedStatement; tail: Promise<void> }[];
  private next = 0;
  private queued = 0;
  private error: unknown;

  private constructor(lanes: { conn: DuckDBConnection; insert: DuckDBPreparedStatement }[]) {
    this.lanes = lanes.map((l) => ({ ...l, tail: Promise.resolve() }));
  }

  static async create(conn: DuckDBConnection, lanes: DuckDBConnection[]): Promise<ChunkLoader> {
    await conn.run(`CREATE OR REPLACE TABLE ${LINES} (${SEQ} INTEGER, line VARCHAR)`);
    const insert =
      `INSERT INTO ${LINES} SELECT ($1 + generate_subscripts(arr, 1) - 1)::INTEGER, unnest(arr) ` +
      `FROM (SELECT string_split(decode($2::BLOB), chr(10)) AS arr)`;
    return new ChunkLoader(await Promise.all(lanes.map(async (c) => ({ conn: c, insert: await c.prepare(insert) }))));
  }

  get failed(): boolean {
    return this.error !== undefined;
  }

  private enqueue(work: (lane: { conn: DuckDBConnection; insert: DuckDBPreparedStatement }) => Promise<void>): void {
    const lane = this.lanes[this.next++ % this.lanes.length]!;
    this.queued++;
    lane.tail = lane.tail.then(async () => {
      try {
        if (this.error !== undefined) return;
        await work(lane);
      } catch (e) {
        this.error ??= e;
      } finally {
        this.queued--;
      }
    });
  }

  /** Queue a chunk on the next lane. The bytes are copied into DuckDB when its turn comes. */
  load(first: number, ndjson: Uint8Array): void {
    this.enqueue(async ({ insert }) => {
      insert.bindInteger(1, first);
      insert.bindBlob(2, ndjson);
      await insert.run();
    });
  }

  /**
   * Queue records a query yields as `(k, line)`, k from 0: they become lines `first + k`
   * without passing through JavaScript (a Parquet slice). Resolves, once they are in, with the
   * bytes of text they made (0 when the load failed: `failed` then says so).
   */
  loadSql(first: number, count: number, select: string): Promise<number> {
    return new Promise((resolve) => {
      this.enqueue(async ({ conn }) => {
        let bytes = 0;
        try {
          await conn.run(`INSERT INTO ${LINES} SELECT (${first} + k)::INTEGER, line FROM (${select})`);
          const r = await conn.runAndReadAll(
            `SELECT coalesce(sum(strlen(line)), 0) FROM ${LINES} WHERE ${SEQ} >= ${first} AND ${SEQ} < ${first + count}`,
          );
          bytes = Number(r.getRows()[0]?.[0] ?? 0);
        } finally {
          resolve(bytes);
        }
      });
    });
  }

  /** Resolves once few enough chunks wait, so a fast reader cannot pile up memory. */
  async ready(): Promise<void> {
    while (this.queued > 2 * this.lanes.length) await Promise.race(this.lanes.map((l) => l.tail));
  }

  /** Wait for every queued chunk; never throws. */
  async drain(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.tail));
  }

  /** Wait for every queued chunk and release the statements; never throws. */
  async settle(): Promise<void> {
    await this.drain();
    for (const l of this.lanes) l.insert.destroySync();
    this.lanes.length = 0;
  }

  /**
   * Wait for every queued chunk; checks that each staged record became exactly one line.
   * StageLoadError: some text is not UTF-8 (only the byte-level splitter lets that through).
   */
  async finish(conn: DuckDBConnection, staged: number): Promise<void> {
    await this.settle();
    if (this.error !== undefined) {
      throw new StageLoadError(this.error instanceof Error ? this.error.message : String(this.error), {
        cause: this.error,
      });
    }
    const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${LINES}`)).getRows()[0]?.[0] ?? -1);
    if (n !== staged) throw new StageLoadError(`staged ${staged} records but found ${n} lines`);
  }
}

/** Delete staged lines by seq range (a dropped input's), once every queued chunk is in. */
export async function deleteLines(conn: DuckDBConnection, ranges: { first: number; count: number }[]): Promise<void> {
  if (ranges.length === 0) return;
  const where = ranges.map((r) => `(${SEQ} >= ${r.first} AND ${SEQ} < ${r.first + r.count})`).join(' OR ');
  await conn.run(`DELETE FROM ${LINES} WHERE ${where}`);
}

const textOrNull = (v: string | null | undefined): string => (v == null ? 'NULL::VARCHAR' : sqlString(v));

/** Segments holding records (an empty one would tie with its successor in the as-of join). */
function segmentsValues(stage: Stage): string {
  return stage.filled
    .map(
      (s) =>
        `(${s.first}, ${s.input}, ${textOrNull(s.only)}, ${textOrNull(s.hints?.region)}, ${textOrNull(s.hints?.account)})`,
    )
    .join(', ');
}

/**
 * Build `meta` from `lines` in one parallel pass: the narrow parse that classifies records and
 * finds their key and partition. StageLoadError: some line is not valid JSON (only the
 * byte-level splitter lets that through).
 */
export async function buildMeta(conn: DuckDBConnection, stage: Stage): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE segs AS SELECT * FROM (VALUES ${segmentsValues(stage)}) v(seg_first, seg_input, seg_pin, seg_region, seg_account)`,
  );
  // importRecords pins each list to its format's tables (Security Lake's OCSF has several);
  // files are classified record by record, each record to the first table (in registry order)
  // that recognises it.
  const recognise = (id: LocalTableId): string => TABLE_SQL[id].rule.recognise;
  const needs = (id: LocalTableId): string => TABLE_SQL[id].rule.needs;
  const sameFormat = (id: LocalTableId): LocalTableId[] =>
    tablesOfFormat(LAKE_TABLES.find((t) => t.id === id)?.format ?? '').map((t) => t.id);
  const pinned = (id: LocalTableId): string =>
    `CASE ${sameFormat(id)
      .map((o) => `WHEN ${recognise(o)} THEN ${sqlString(o)}`)
      .join(' ')} END`;
  const tbl =
    `CASE ${TABLE_IDS.map((id) => `WHEN r.hunt_pin = ${sqlString(id)} THEN ${pinned(id)}`).join(' ')} ` +
    `${TABLE_IDS.map((id) => `WHEN ${recognise(id)} THEN ${sqlString(id)}`).join(' ')} END`;
  const unrecognised =
    `CASE r.hunt_pin ${TABLE_IDS.map((id) => `WHEN ${sqlString(id)} THEN ${sqlString(`not ${needs(id)}`)}`).join(' ')} ` +
    `ELSE ${sqlString(`not ${[...new Set(TABLE_IDS.map(needs))].join(' or ')}`)} END`;
  const unsupported = perTable((id) => TABLE_SQL[id].rule.unsupported);
  const problem = `CASE WHEN r.${TBL} IS NULL THEN ${unrecognised} ELSE coalesce(${unsupported}, ${perTable((id) => TABLE_SQL[id].rule.problem)}) END`;
  const parts = Array.from(
    { length: MAX_PARTITIONS },
    (_, i) => `${perTable((id) => TABLE_SQL[id].rule.partitions[i])} AS ${partColumn(i)}`,
  );
  // Each derived value in a CTE of its own, so later ones and the final SELECT can read it.
  const derived = TABLE_IDS.flatMap((id) => TABLE_SQL[id].rule.derived).map(
    (d, i) => `d${i + 1} AS (SELECT *, ${d.expr} AS ${d.name} FROM ${i === 0 ? 'classified' : `d${i}`} r)`,
  );
  const last = derived.length === 0 ? 'classified' : `d${derived.length}`;
  try {
    await conn.run(
      `CREATE OR REPLACE TABLE ${META} AS ` +
        `WITH parsed AS (SELECT l.${SEQ}, unnest(from_json(l.line, ${META_STRUCTURE})) FROM ${LINES} l), ` +
        // The as-of join sorts its input: on the narrow seq column only (it cost ~0.3 s per
        // 200,000 records on the parsed rows), then an equality join attaches the result.
        `seg_of AS (SELECT l.${SEQ}, s.seg_input, s.seg_pin, s.seg_region, s.seg_account FROM (SELECT ${SEQ} FROM ${LINES}) l ` +
        `ASOF JOIN segs s ON l.${SEQ} >= s.seg_first), ` +
        `placed AS (SELECT p.*, g.seg_input AS ${INPUT}, g.seg_pin AS hunt_pin, g.seg_region AS hunt_path_region, g.seg_account AS hunt_path_account FROM parsed p JOIN seg_of g ON p.${SEQ} = g.${SEQ}), ` +
        `classified AS (SELECT *, ${tbl} AS ${TBL} FROM placed r)${derived.map((d) => `, ${d}`).join('')} ` +
        `SELECT r.${SEQ}, r.${INPUT}, r.${TBL}, ${problem} AS ${PROBLEM}, ` +
        `${perTable((id) => TABLE_SQL[id].rule.naturalKey)} AS ${KEY}, ${parts.join(', ')}, ` +
        `NULL::VARCHAR AS ${DUP}, false AS ${CONFLICT}, (${unsupported}) IS NOT NULL AS ${UNSUPPORTED} FROM ${last} r`,
    );
  } catch (e) {
    throw new StageLoadError((e as Error).message, { cause: e });
  }
}

export interface InputCounts {
  /** usable records per table (written or duplicates) */
  records: Record<LocalTableId, number>;
  /** usable records written */
  added: number;
  /** usable records already in the lake or earlier in the import */
  duplicates: number;
  /** duplicates whose content differs from the record kept */
  conflicts: number;
  skipped: number;
  /** the first few problems, by seq */
  problems: { seq: number; message: string }[];
  /** the most frequent problem messages with their counts */
  reasons: { message: string; count: number; unsupported: boolean }[];
}

/** No records of any table yet. */
export function noRecords(): Record<LocalTableId, number> {
  return Object.fromEntries(TABLE_IDS.map((id) => [id, 0])) as Record<LocalTableId, number>;
}

function isTableId(v: unknown): v is LocalTableId {
  return TABLE_IDS.some((id) => id === v);
}

/**
 * Per input, once its batch is written: usable records per table, how many were written, were
 * duplicates or conflicting duplicates, unusable ones, and the first `maxProblems` reasons.
 */
export async function countsByInput(conn: DuckDBConnection, maxProblems: number): Promise<Map<number, InputCounts>> {
  const out = new Map<number, InputCounts>();
  const entry = (input: number): InputCounts => {
    let c = out.get(input);
    if (!c) {
      c = { records: noRecords(), added: 0, duplicates: 0, conflicts: 0, skipped: 0, problems: [], reasons: [] };
      out.set(input, c);
    }
    return c;
  };
  const counts = await conn.runAndReadAll(
    `SELECT ${INPUT}, ${TBL}, count(*) FILTER (WHERE ${PROBLEM} IS NULL), count(*) FILTER (WHERE ${PROBLEM} IS NOT NULL), ` +
      `count(*) FILTER (WHERE ${PROBLEM} IS NULL AND ${DUP} IS NULL), count(*) FILTER (WHERE ${DUP} IS NOT NULL), ` +
      `count(*) FILTER (WHERE ${CONFLICT}) FROM ${META} GROUP BY ALL`,
  );
  for (const [input, tbl, ok, bad, added, dups, conflicts] of counts.getRows()) {
    const c = entry(Number(input));
    if (isTableId(tbl)) c.records[tbl] += Number(ok);
    c.skipped += Number(bad);
    c.added += Number(added);
    c.duplicates += Number(dups);
    c.conflicts += Number(conflicts);
  }
  const problems = await conn.runAndReadAll(
    `SELECT ${INPUT}, ${SEQ}, ${PROBLEM} FROM ${META} WHERE ${PROBLEM} IS NOT NULL ` +
      `QUALIFY row_number() OVER (PARTITION BY ${INPUT} ORDER BY ${SEQ}) <= ${maxProblems} ORDER BY ${SEQ}`,
  );
  for (const [input, seq, message] of problems.getRows()) {
    entry(Number(input)).problems.push({ seq: Number(seq), message: String(message) });
  }
  const reasons = await conn.runAndReadAll(
    `SELECT * FROM (SELECT ${INPUT}, ${PROBLEM}, count(*) AS n, bool_and(${UNSUPPORTED}) AS u FROM ${META} ` +
      `WHERE ${PROBLEM} IS NOT NULL GROUP BY ${INPUT}, ${PROBLEM}) ` +
      `QUALIFY row_number() OVER (PARTITION BY ${INPUT} ORDER BY n DESC, ${PROBLEM}) <= ${maxProblems} ORDER BY ${INPUT}, n DESC, ${PROBLEM}`,
  );
  for (const [input, message, n, unsupported] of reasons.getRows()) {
    entry(Number(input)).reasons.push({
      message: String(message),
      count: Number(n),
      unsupported: unsupported === true,
    });
  }
  return out;
}
