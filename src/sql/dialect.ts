import type { RawBuilder } from 'kysely';
import type { AggName, FnName, JsonStep, SqlType } from '../plan/ir.js';

export type DialectName = 'athena' | 'duckdb';
export type Frag = RawBuilder<unknown>;

/**
 * What differs between the SQL dialects, as tables (after sqlglot's per-dialect TRANSFORMS):
 * the renderer walks one plan and asks the dialect only for these pieces.
 */
export interface Dialect {
  name: DialectName;
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
  /** Splunk strftime specifiers → this dialect's format specifiers; undefined = unsupported */
  timeFormat: Record<string, string>;
  /** whether bound parameters may appear outside WHERE (Athena: no) */
  paramsOutsideWhere: boolean;
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
