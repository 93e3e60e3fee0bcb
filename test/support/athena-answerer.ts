/**
 * An answerer for the Athena stand-in that answers an Athena query the way Athena would answer
 * it on the same data: by running the DuckDB rendering of the same plan over a local lake.
 * Tests register pairs (Athena translation, DuckDB translation) of one search; a query is found
 * by its Athena SQL text, its ExecutionParameters are read back with the engine's own literal
 * parser (so a value that did not survive rendering shows up as a wrong or failed answer), the
 * window is recovered from the window bounds among them, and the DuckDB SQL runs with the
 * DuckDB slots bound for that window and the configuration values exactly as they arrived.
 * The result comes back as Athena types and text: bigint, double as Java prints it (1.0E7),
 * timestamps with milliseconds, arrays as `[a, b]`, column names lower-cased.
 */
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { DateTime } from 'luxon';
import { duckdb } from '../../src/duckdb.js';
import { parseAthenaLiteral } from '../../src/engines/athena/literals.js';
import { openLake, type OpenLake } from '../../src/lake/open.js';
import type { ParamSlot } from '../../src/plan/ir.js';
import type { MacroTable } from '../../src/spl/macros.js';
import { bindParams, type BoundParam } from '../../src/sql/params.js';
import type { Window } from '../../src/time/window.js';
import { translateSearch, type Translation } from '../../src/translate/translate.js';
import { QueryFailure, type Answerer, type AthenaTable } from './athena-standin.js';

export interface AnsweredRun {
  athenaSql: string;
  /** the ExecutionParameters as read back */
  params: BoundParam[];
  window: Window;
  /** what the DuckDB SQL was bound with */
  duckParams: BoundParam[];
}

interface Pair {
  athena: Translation;
  duckdb: Translation;
}

const TS = 'yyyy-MM-dd HH:mm:ss.SSS';

export class TranslationAnswerer {
  readonly runs: AnsweredRun[] = [];
  private readonly pairs = new Map<string, Pair>();
  private lake: Promise<OpenLake> | undefined;

  constructor(private readonly lakeDir: string) {}

  register(athena: Translation, duck: Translation): void {
    if (athena.dialect !== 'athena' || duck.dialect !== 'duckdb')
      throw new Error('register(athena translation, duckdb translation)');
    this.pairs.set(athena.sql, { athena, duckdb: duck });
  }

  /** Translates a search for both dialects, registers the pair and returns it. */
  registerSearch(search: string, opts: { macros: MacroTable; zone?: string }): Pair {
    const common = { macros: opts.macros, zone: opts.zone ?? 'UTC' };
    const pair = {
      athena: translateSearch(search, { ...common, dialect: 'athena' }),
      duckdb: translateSearch(search, { ...common, dialect: 'duckdb' }),
    };
    this.register(pair.athena, pair.duckdb);
    return pair;
  }

  readonly answer: Answerer = async (queryString, executionParameters) => {
    const pair = this.pairs.get(queryString);
    if (!pair) throw new QueryFailure('the stand-in has no registered translation for this query text');
    const params = (executionParameters ?? []).map((p) => parseAthenaLiteral(p));
    const slots = pair.athena.slots;
    if (params.length !== slots.length) throw new QueryFailure(`${params.length} parameters for ${slots.length} slots`);
    const window = windowOf(slots, params);
    // the values a query's macros bring; region/account pruning is the Athena tables' own
    const values = slots.flatMap((s, i) => (s.kind === 'value' && !s.partition ? [params[i] as BoundParam] : []));
    const duckParams = bindDuck(pair.duckdb.slots, window, values);
    this.runs.push({ athenaSql: queryString, params, window, duckParams });
    // result columns the Athena SQL casts to JSON come back as JSON text, as on Athena
    const json = new Set(
      pair.athena.fields
        .filter((f) => queryString.includes(` AS JSON) as "${f.column}"`))
        .map((f) => f.column.toLowerCase()),
    );
    return this.run(pair.duckdb.sql, duckParams, json);
  };

  async close(): Promise<void> {
    const lake = this.lake;
    this.lake = undefined;
    if (lake) await (await lake).close();
  }

  private async run(sql: string, params: BoundParam[], json: Set<string> = new Set()): Promise<AthenaTable> {
    this.lake ??= openLake(this.lakeDir);
    const lake = await this.lake;
    const stmt = await lake.connection.prepare(sql);
    stmt.bind(params.map(duckValue));
    const reader = await stmt.runAndReadAll();
    const types = reader.columnTypes();
    const names = reader.columnNames().map((n) => n.toLowerCase());
    const isJson = names.map((n) => json.has(n));
    return {
      columns: names.map((name, i) => ({ name, type: isJson[i] ? 'json' : athenaType(types[i] as DuckDBType) })),
      rows: reader
        .getRowsJson()
        .map((row) =>
          row.map((v, i) =>
            isJson[i] ? (v === null ? null : JSON.stringify(v)) : athenaText(v, types[i] as DuckDBType),
          ),
        ),
    };
  }
}

/** The window, from the exact bounds among the parameters; day partitions must agree with it. */
function windowOf(slots: ParamSlot[], params: BoundParam[]): Window {
  const bounds: Partial<Record<'earliest' | 'latest', DateTime>> = {};
  slots.forEach((s, i) => {
    if (s.kind !== 'window' || typeof s.as === 'object') return;
    const p = params[i] as BoundParam;
    const t = boundTime(s.as, p, i + 1);
    const seen = bounds[s.bound];
    if (seen && seen.toMillis() !== t.toMillis())
      throw new QueryFailure(`parameter ${i + 1}: ${s.bound} ${t.toISO()} disagrees with ${seen.toISO()}`);
    bounds[s.bound] = t;
  });
  const { earliest, latest } = bounds;
  if (!earliest || !latest) throw new QueryFailure('the parameters hold no exact window bounds');
  const window = { earliest, latest };
  // the partition days must be the ones bindParams gives for that window
  const expected = bindParams(slots, window);
  slots.forEach((s, i) => {
    if (s.kind === 'window' && typeof s.as === 'object' && JSON.stringify(expected[i]) !== JSON.stringify(params[i])) {
      throw new QueryFailure(
        `parameter ${i + 1}: partition day ${JSON.stringify(params[i])} is not the window's ${JSON.stringify(expected[i])}`,
      );
    }
  });
  return window;
}

function boundTime(as: 'epoch_s' | 'epoch_ms' | 'timestamp', p: BoundParam, position: number): DateTime {
  if (as === 'timestamp') {
    if (p.type !== 'timestamp') throw new QueryFailure(`parameter ${position}: a timestamp expected, got a ${p.type}`);
    return DateTime.fromFormat(p.value, TS, { zone: 'utc' });
  }
  if (p.type !== 'number') throw new QueryFailure(`parameter ${position}: a number expected, got a ${p.type}`);
  return DateTime.fromMillis(as === 'epoch_s' ? Math.round(p.value * 1000) : p.value, { zone: 'utc' });
}

/** DuckDB's parameters for the window, with the configuration values as they arrived (in order). */
function bindDuck(slots: ParamSlot[], window: Window, values: BoundParam[]): BoundParam[] {
  const bound = bindParams(slots, window);
  let next = 0;
  const out = slots.map((s, i) => {
    if (s.kind !== 'value') return bound[i] as BoundParam;
    const v = values[next++];
    if (!v) throw new QueryFailure('the DuckDB translation has more configuration values than the Athena one');
    return v;
  });
  if (next !== values.length)
    throw new QueryFailure('the Athena translation has more configuration values than the DuckDB one');
  return out;
}

/** As src/engines/duckdb.ts binds them: timestamps as TIMESTAMP. */
function duckValue(p: BoundParam): DuckDBValue {
  if (p.type === 'timestamp') return duckdb.timestampValue(BigInt(Date.parse(`${p.value.replace(' ', 'T')}Z`)) * 1000n);
  return p.value;
}

const { DuckDBTypeId } = duckdb;

/** Athena's ColumnInfo.Type for a DuckDB result type (Athena names complex types without parameters). */
function athenaType(t: DuckDBType): string {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
      return 'tinyint';
    case DuckDBTypeId.SMALLINT:
      return 'smallint';
    case DuckDBTypeId.INTEGER:
      return 'integer';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT: // DuckDB's sum of bigints; Trino's is bigint
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UINTEGER:
      return 'bigint';
    case DuckDBTypeId.FLOAT:
      return 'real';
    case DuckDBTypeId.DOUBLE:
      return 'double';
    case DuckDBTypeId.DECIMAL:
      return 'decimal';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamp with time zone';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return 'array';
    case DuckDBTypeId.STRUCT:
      return 'row';
    case DuckDBTypeId.MAP:
      return 'map';
    case DuckDBTypeId.BLOB:
      return 'varbinary';
    case DuckDBTypeId.SQLNULL:
      return 'unknown';
    default:
      return t.alias === 'JSON' ? 'json' : 'varchar';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A DuckDB value (as getRowsJson gives it) as Athena's result text. */
function athenaText(v: Json, t: DuckDBType): string | null {
  if (v === null) return null;
  if (t.typeId === DuckDBTypeId.LIST || t.typeId === DuckDBTypeId.ARRAY) {
    const element = (t as { valueType: DuckDBType }).valueType;
    return `[${(v as Json[]).map((x) => athenaText(x, element) ?? 'null').join(', ')}]`;
  }
  if (t.typeId === DuckDBTypeId.STRUCT) {
    const s = t as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    const o = v as Record<string, Json>;
    return `{${s.entryNames.map((n, i) => `${n}=${athenaText(o[n] ?? null, s.entryTypes[i] as DuckDBType) ?? 'null'}`).join(', ')}}`;
  }
  if (t.typeId === DuckDBTypeId.DOUBLE || t.typeId === DuckDBTypeId.FLOAT)
    return typeof v === 'number' ? javaDouble(v) : String(v);
  if (t.typeId === DuckDBTypeId.TIMESTAMP && typeof v === 'string') return athenaTimestamp(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Java's Double.toString, which Athena's results use: 100.0, 0.5, 1.0E7, 1.5E-4, NaN. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const a = Math.abs(n);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [m, e] = n.toExponential().split('e') as [string, string];
  return `${m.includes('.') ? m : `${m}.0`}E${e.replace('+', '')}`;
}

/** DuckDB prints `2026-01-01 10:00:00` or `...:00.123456`; Athena always three fraction digits. */
function athenaTimestamp(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
