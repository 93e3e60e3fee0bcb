import type { Column, ColumnType } from '../sources/table-schema.js';
import { sqlString } from './sql.js';

/**
 * How DuckDB reads a staged raw record (from_json) before normalisation: every key by its
 * original JSON name (CloudTrail camelCase, OCSF snake_case), every scalar leaf as VARCHAR.
 * DuckDB's JSON transform then already gives the Athena string semantics (numbers and booleans
 * as their JSON text, objects and arrays as compact JSON, JSON null as NULL); typed OCSF columns
 * are converted afterwards with TRY_CAST, so a bad value is NULL, not a failed import. A value
 * of the wrong shape (a string where an object belongs) is read as NULL or a struct of NULLs.
 * Each table has its own structure; a narrow one over all (normalise-sql.ts) classifies.
 */

export type RawType =
  | { kind: 'leaf' }
  | { kind: 'struct'; fields: Map<string, RawType> }
  | { kind: 'list'; element: RawType }
  | { kind: 'map'; value: RawType };

export type Naming = 'json' | 'column';

/** The JSON key a column is read by. */
export function rawKey(column: Column, naming: Naming): string {
  return naming === 'json' ? (column.json ?? column.name) : column.name;
}

export function rawOf(type: ColumnType, naming: Naming): RawType {
  switch (type.kind) {
    case 'struct':
      return { kind: 'struct', fields: new Map(type.fields.map((f) => [rawKey(f, naming), rawOf(f.type, naming)])) };
    case 'array':
      return { kind: 'list', element: rawOf(type.element, naming) };
    case 'map':
      return { kind: 'map', value: rawOf(type.value, naming) };
    default:
      return { kind: 'leaf' };
  }
}

/**
 * Union of two raw types for a key both tables use (`resources`): struct fields are merged, and
 * each table's CAST later keeps only its own fields.
 */
export function mergeRaw(a: RawType, b: RawType, path: string): RawType {
  if (a.kind === 'leaf' && b.kind === 'leaf') return a;
  if (a.kind === 'list' && b.kind === 'list')
    return { kind: 'list', element: mergeRaw(a.element, b.element, `${path}[]`) };
  if (a.kind === 'map' && b.kind === 'map') return { kind: 'map', value: mergeRaw(a.value, b.value, `${path}{}`) };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, t] of b.fields) {
      const mine = fields.get(k);
      fields.set(k, mine ? mergeRaw(mine, t, `${path}.${k}`) : t);
    }
    assertCaseDistinct([...fields.keys()], path);
    return { kind: 'struct', fields };
  }
  throw new Error(`raw schema conflict at ${path}: ${a.kind} vs ${b.kind}`);
}

/** DuckDB names are case-insensitive: two JSON keys differing only in case cannot both be read. */
function assertCaseDistinct(keys: string[], path: string): void {
  const seen = new Set<string>();
  for (const k of keys) {
    const lower = k.toLowerCase();
    if (seen.has(lower)) throw new Error(`raw schema conflict at ${path}: keys differing only in case (${k})`);
    seen.add(lower);
  }
}

/** Type text for read_json's `columns`. */
export function rawTypeSql(t: RawType): string {
  switch (t.kind) {
    case 'leaf':
      return 'VARCHAR';
    case 'struct':
      return `STRUCT(${[...t.fields].map(([k, f]) => `"${k.replaceAll('"', '""')}" ${rawTypeSql(f)}`).join(', ')})`;
    case 'list':
      return `${rawTypeSql(t.element)}[]`;
    case 'map':
      return `MAP(VARCHAR, ${rawTypeSql(t.value)})`;
  }
}

/** The same type as a from_json structure (JSON text), for the lenient reader. */
export function rawStructure(t: RawType): unknown {
  switch (t.kind) {
    case 'leaf':
      return 'VARCHAR';
    case 'struct':
      return Object.fromEntries([...t.fields].map(([k, f]) => [k, rawStructure(f)]));
    case 'list':
      return [rawStructure(t.element)];
    case 'map':
      return rawTypeSql(t);
  }
}

/** Every top-level key a table reads from a raw record, with its raw type. */
export function rawColumnsOf(columns: Column[], naming: Naming): Map<string, RawType> {
  const out = new Map<string, RawType>();
  for (const c of columns) {
    const key = rawKey(c, naming);
    const t = rawOf(c.type, naming);
    const mine = out.get(key);
    out.set(key, mine ? mergeRaw(mine, t, key) : t);
  }
  assertCaseDistinct([...out.keys()], '<record>');
  return out;
}

/** from_json's structure argument (a SQL literal) reading the given raw columns. */
export function structureSql(columns: Iterable<[string, RawType]>): string {
  return sqlString(JSON.stringify(Object.fromEntries([...columns].map(([k, t]) => [k, rawStructure(t)]))));
}
