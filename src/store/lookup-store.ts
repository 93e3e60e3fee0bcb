/**
 * Where a search that writes lookups (outputlookup) keeps them between its steps and its runs:
 * Postgres (lookups.ts, loaded with the database), or memory for a run that stores nothing.
 */
import { appendedRows, type WrittenRows } from '../translate/staged.js';

export interface StoredLookup extends WrittenRows {
  name: string;
}

export interface LookupStore {
  read(): Promise<StoredLookup[]>;
  write(name: string, rows: WrittenRows, append: boolean): Promise<void>;
}

/** A store in memory: what a run without a database writes lasts as long as the process. */
export function memoryLookups(): LookupStore {
  const tables = new Map<string, WrittenRows>();
  return {
    read: async () => [...tables].map(([name, t]) => ({ name, ...t })),
    write: async (name, written, append) => {
      const before = append ? tables.get(name) : undefined;
      tables.set(name, before ? appendedRows(before, written) : written);
    },
  };
}
