import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { LocalTableId } from './layout.js';
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
  private readonly lanes: { insert: DuckDBPreparedStatement; tail: Promise<void> }[];
  private next = 0;
  private queued = 0;
  private error: unknown;

  private constructor(inserts: DuckDBPreparedStatement[]) {
    this.lanes = inserts.map((insert) => ({ insert, tail: Promise.resolve() }));
  }

  static async create(conn: DuckDBConnection, lanes: DuckDBConnection[]): Promise<ChunkLoader> {
    await conn.run(`CREATE OR REPLACE TABLE ${LINES} (${SEQ} INTEGER, line VARCHAR)`);
    const insert =
      `INSERT INTO ${LINES} SELECT ($1 + generate_subscripts(arr, 1) - 1)::INTEGER, unnest(arr) ` +
      `FROM (SELECT string_split(decode($2::BLOB), chr(10)) AS arr)`;
    return new ChunkLoader(await Promise.all(lanes.map((c) => c.prepare(insert))));
  }

  get failed(): boolean {
    return this.error !== undefined;
  }

  /** Queue a chunk on the next lane. The bytes are copied into DuckDB when its turn comes. */
  load(first: number, ndjson: Uint8Array): void {
    const lane = this.lanes[this.next++ % this.lanes.length]!;
    this.queued++;
    lane.tail = lane.tail.then(async () => {
      try {
        if (this.error !== undefined) return;
        lane.insert.bindInteger(1, first);
        lane.insert.bindBlob(2, ndjson);
        await lane.insert.run();
      } catch (e) {
        this.error ??= e;
      } finally {
        this.queued--;
      }
    });
  }

  /** Resolves once few enough chunks wait, so a fast reader cannot pile up memory. */
  async ready(): Promise<void> {
    while (this.queued > 2 * this.lanes.length) await Promise.race(this.lanes.map((l) => l.tail));
  }

  /** Wait for every queued chunk and release the statements; never throws. */
  async settle(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.tail));
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

function segmentsValues(stage: Stage): string {
  return stage.segments
    .map((s) => `(${s.first}, ${s.input}, ${s.only === null ? 'NULL::VARCHAR' : sqlString(s.only)})`)
    .join(', ');
}

/**
 * Build `meta` from `lines` in one parallel pass: the narrow parse that classifies records and
 * finds their key and partition. StageLoadError: some line is not valid JSON (only the
 * byte-level splitter lets that through).
 */
export async function buildMeta(conn: DuckDBConnection, stage: Stage): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE segs AS SELECT * FROM (VALUES ${segmentsValues(stage)}) v(seg_first, seg_input, seg_pin)`,
  );
  // importRecords pins each list to its table; files are classified record by record, each
  // record to the first table (in registry order) that recognises it.
  const recognise = (id: LocalTableId): string => TABLE_SQL[id].rule.recognise;
  const needs = (id: LocalTableId): string => TABLE_SQL[id].rule.needs;
  const tbl =
    `CASE ${TABLE_IDS.map((id) => `WHEN r.hunt_pin = ${sqlString(id)} THEN CASE WHEN ${recognise(id)} THEN ${sqlString(id)} END`).join(' ')} ` +
    `${TABLE_IDS.map((id) => `WHEN ${recognise(id)} THEN ${sqlString(id)}`).join(' ')} END`;
  const unrecognised =
    `CASE r.hunt_pin ${TABLE_IDS.map((id) => `WHEN ${sqlString(id)} THEN ${sqlString(`not ${needs(id)}`)}`).join(' ')} ` +
    `ELSE ${sqlString(`not ${TABLE_IDS.map(needs).join(' or ')}`)} END`;
  const problem = `CASE WHEN r.${TBL} IS NULL THEN ${unrecognised} ELSE ${perTable((id) => TABLE_SQL[id].rule.problem)} END`;
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
        `seg_of AS (SELECT l.${SEQ}, s.seg_input, s.seg_pin FROM (SELECT ${SEQ} FROM ${LINES}) l ` +
        `ASOF JOIN segs s ON l.${SEQ} >= s.seg_first), ` +
        // TEMPORARY (sl-versions): path hints stand-in until the pipeline provides them; merge with the real one
        `placed AS (SELECT p.*, g.seg_input AS ${INPUT}, g.seg_pin AS hunt_pin, NULL::VARCHAR AS hunt_path_region, NULL::VARCHAR AS hunt_path_account FROM parsed p JOIN seg_of g ON p.${SEQ} = g.${SEQ}), ` +
        `classified AS (SELECT *, ${tbl} AS ${TBL} FROM placed r)${derived.map((d) => `, ${d}`).join('')} ` +
        `SELECT r.${SEQ}, r.${INPUT}, r.${TBL}, ${problem} AS ${PROBLEM}, ` +
        `${perTable((id) => TABLE_SQL[id].rule.naturalKey)} AS ${KEY}, ${parts.join(', ')} FROM ${last} r`,
    );
  } catch (e) {
    throw new StageLoadError((e as Error).message, { cause: e });
  }
}

export interface InputCounts {
  records: Record<LocalTableId, number>;
  skipped: number;
  /** the first few problems, by seq */
  problems: { seq: number; message: string }[];
}

/** No records of any table yet. */
export function noRecords(): Record<LocalTableId, number> {
  return Object.fromEntries(TABLE_IDS.map((id) => [id, 0])) as Record<LocalTableId, number>;
}

function isTableId(v: unknown): v is LocalTableId {
  return TABLE_IDS.some((id) => id === v);
}

/** Per input: usable records per table, unusable ones, and the first `maxProblems` reasons. */
export async function countsByInput(conn: DuckDBConnection, maxProblems: number): Promise<Map<number, InputCounts>> {
  const out = new Map<number, InputCounts>();
  const entry = (input: number): InputCounts => {
    let c = out.get(input);
    if (!c) {
      c = { records: noRecords(), skipped: 0, problems: [] };
      out.set(input, c);
    }
    return c;
  };
  const counts = await conn.runAndReadAll(
    `SELECT ${INPUT}, ${TBL}, count(*) FILTER (WHERE ${PROBLEM} IS NULL), count(*) FILTER (WHERE ${PROBLEM} IS NOT NULL) ` +
      `FROM ${META} GROUP BY ALL`,
  );
  for (const [input, tbl, ok, bad] of counts.getRows()) {
    const c = entry(Number(input));
    if (isTableId(tbl)) c.records[tbl] += Number(ok);
    c.skipped += Number(bad);
  }
  const problems = await conn.runAndReadAll(
    `SELECT ${INPUT}, ${SEQ}, ${PROBLEM} FROM ${META} WHERE ${PROBLEM} IS NOT NULL ` +
      `QUALIFY row_number() OVER (PARTITION BY ${INPUT} ORDER BY ${SEQ}) <= ${maxProblems} ORDER BY ${SEQ}`,
  );
  for (const [input, seq, message] of problems.getRows()) {
    entry(Number(input)).problems.push({ seq: Number(seq), message: String(message) });
  }
  return out;
}
