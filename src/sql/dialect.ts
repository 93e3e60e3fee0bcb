import type { RawBuilder } from 'kysely';
import type { AggName, FnName, JsonStep, ParamSlot, Plan, SqlType } from '../plan/ir.js';

/** The dialects hunt compiles to; each has its table in dialects/ (listed in dialects/index.ts). */
export const DIALECT_NAMES = ['athena', 'duckdb'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];
export type Frag = RawBuilder<unknown>;

/**
 * What differs between the SQL dialects, as tables (after sqlglot's per-dialect TRANSFORMS):
 * the renderer walks one plan and asks the dialect only for these pieces.
 */
export interface Dialect {
  name: DialectName;
  /** for people: headers of compiled SQL files */
  title: string;
  /** function renderings; `lit` gives the literal value of an argument when the rendering needs it */
  functions: Record<FnName, (args: Frag[], lit: (i: number) => string | number | boolean | null | undefined) => Frag>;
  aggregates: Record<Exclude<AggName, 'row_number'>, (args: Frag[], distinct: boolean) => Frag>;
  /** the row's position in its window; `over` is the window's PARTITION BY / ORDER BY */
  rowNumber(over: Frag): Frag;
  types: Record<SqlType, string>;
  tryCast(arg: Frag, to: SqlType): Frag;
  lambda(v: string, body: Frag): Frag;
  /** JSON navigation (see the `json` node in plan/ir.ts) */
  json(mode: 'field' | 'spath', target: Frag, path: JsonStep[], fresh: () => string): Frag;
  /** a JSON object of literal keys and JSON values (see the `jsonObject` node in plan/ir.ts) */
  jsonObject(keys: string[], values: Frag[]): Frag;
  /** Splunk strftime specifiers → this dialect's format specifiers; undefined = unsupported */
  timeFormat: Record<string, string>;
  /** whether bound parameters may appear outside WHERE (Athena: no) */
  paramsOutsideWhere: boolean;
  /**
   * At most this many characters of lookup values written into one query as VALUES rows
   * (Athena: its query text is capped at 256 KB); undefined: no limit
   */
  inlineValuesLimit?: number;

  // structural syntax: the shape of a query rather than a function
  /** the placeholder of the n-th (1-based) bound parameter in the SQL text */
  placeholder(n: number): string;
  /** a FROM item unnesting `array` as alias(column, ordinal), ordinal 1-based */
  unnest(array: Frag, alias: string, column: string, ordinal: string): { source: Frag; as: Frag };
  /** one ORDER BY term; nulls last either way, as Splunk sorts missing values */
  orderTerm(e: Frag, desc: boolean): Frag;
  /** l / r as a double (never integer division) */
  divide(l: Frag, r: Frag): Frag;
  /** an aggregate over the rows where `cond` holds */
  aggregateFilter(agg: Frag, cond: Frag): Frag;
  /** array_agg(x ORDER BY ...): the values in the given order */
  orderedArrayAgg(arg: Frag, order: Frag): Frag;
  /** a parameter marked `via: 'filter'` by a rewrite; `bind` places a parameter */
  paramViaFilter?(slot: ParamSlot, bind: (slot: ParamSlot) => Frag): Frag;
  /** plan → plan rewrites run before rendering, in order (e.g. what the dialect cannot say) */
  rewrites: ((plan: Plan) => Plan)[];
}

/** Splunk's strftime → a dialect format string, or an error naming the unsupported specifier. */
export function convertTimeFormat(fmt: string, table: Record<string, string>, dialect: string): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = fmt[i + 1];
    if (spec === undefined) throw new Error(`time format "${fmt}" ends with a lone %`);
    const mapped = table[spec];
    if (mapped === undefined)
      throw new Error(`time format specifier %${spec} (in "${fmt}") is not supported for ${dialect}`);
    out += mapped;
    i++;
  }
  return out;
}
