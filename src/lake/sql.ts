/** SQL text helpers for the statements the lake builds (paths and names cannot be bound as parameters there). */

// the same quoting the sources' import rules are written with
export { sqlIdent, sqlString } from '../sources/import-sql.js';

/**
 * A path for DuckDB's glob: `*`, `?`, `[` and `]` in a directory name would otherwise be read as
 * wildcards; a one-character class (`[[]`) matches the character itself.
 */
export function globEscape(path: string): string {
  return path.replace(/[[\]*?]/g, (ch) => `[${ch}]`);
}
