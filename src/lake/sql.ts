/** SQL text helpers for the statements the lake builds (paths and names cannot be bound as parameters there). */

/** A single-quoted SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A double-quoted identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A path for DuckDB's glob: `*`, `?`, `[` and `]` in a directory name would otherwise be read as
 * wildcards; a one-character class (`[[]`) matches the character itself.
 */
export function globEscape(path: string): string {
  return path.replace(/[[\]*?]/g, (ch) => `[${ch}]`);
}
