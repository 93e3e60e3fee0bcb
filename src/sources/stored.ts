import type { Column, TableSchema } from './table-schema.js';

/** The columns stored inside the files: the schema's minus the partition columns the path carries. */
export function storedOf(schema: TableSchema): Column[] {
  return schema.columns.filter((c) => !schema.partitions.includes(c.name));
}
