/**
 * Table schemas as data: the columns of the real Athena tables, mirrored by the local lake.
 * `json` keeps the original CloudTrail key (camelCase) where the Athena column is lower-cased,
 * so SPL names (`userIdentity.userName`) resolve to columns (`useridentity.username`).
 */
export type ColumnType =
  | { kind: 'string' }
  | { kind: 'bigint' }
  | { kind: 'int' }
  | { kind: 'double' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'struct'; fields: Column[] }
  | { kind: 'array'; element: ColumnType }
  | { kind: 'map'; key: ColumnType; value: ColumnType };

export interface Column {
  /** column (or struct field) name as the table has it */
  name: string;
  type: ColumnType;
  /** the key in the source JSON when it differs from `name` (CloudTrail camelCase) */
  json?: string;
  /** a string column that holds JSON text (CloudTrail requestParameters, OCSF api.request.data) */
  jsonText?: boolean;
}

export interface TableSchema {
  columns: Column[];
  /** Hive-style partition columns of the local lake layout, outermost first (all strings). */
  partitions: string[];
}

export const str = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  type: { kind: 'string' },
  ...extra,
});
export const typed = (name: string, kind: 'bigint' | 'int' | 'double' | 'boolean' | 'timestamp'): Column => ({
  name,
  type: { kind },
});
export const struct = (name: string, fields: Column[], extra: Partial<Column> = {}): Column => ({
  name,
  type: { kind: 'struct', fields },
  ...extra,
});
export const arrayOf = (name: string, element: ColumnType, extra: Partial<Column> = {}): Column => ({
  name,
  type: { kind: 'array', element },
  ...extra,
});

/** DuckDB type text for a column type (used for the local lake's Parquet files). */
export function duckdbType(t: ColumnType): string {
  switch (t.kind) {
    case 'string':
      return 'VARCHAR';
    case 'bigint':
      return 'BIGINT';
    case 'int':
      return 'INTEGER';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(t.element)}[]`;
    case 'map':
      return `MAP(${duckdbType(t.key)}, ${duckdbType(t.value)})`;
  }
}
