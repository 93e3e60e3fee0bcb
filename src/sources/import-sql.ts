/**
 * Helpers for writing a source's import rule (source.ts, ImportRule): DuckDB SQL text over the
 * raw record, alias `r`. Text only; the local lake (src/lake) runs it.
 */

/** A single-quoted SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A double-quoted identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The raw record's top-level key (or a value of the rule's `derived`). */
export const raw = (key: string): string => `r.${sqlIdent(key)}`;

/** A field inside a raw struct: field(raw('cloud'), 'account', 'uid'). */
export const field = (expr: string, ...keys: string[]): string =>
  keys.reduce((e, k) => `struct_extract(${e}, ${sqlString(k)})`, expr);
