/** The lookup tables a detection may read: the configured `lookups/` directory, read at the edge. */
import { dirname, join } from 'node:path';
import { loadLookupDir } from '../detections/lookups.js';
import type { LookupCatalog, LookupTable } from '../plan/lookup-table.js';
import { stored, type WrittenRows } from './staged.js';

export interface LookupSettings {
  /** where RULE names are looked up */
  detectionsDir: string;
  /** the configured `lookups/` directory, if any */
  lookupsDir?: string;
}

/** The `lookups/` directory: the configured one, else `lookups` beside the detections directory. */
export function lookupsDirOf(s: LookupSettings): string {
  return s.lookupsDir ?? join(dirname(s.detectionsDir), 'lookups');
}

const loaded = new WeakMap<LookupSettings, LookupCatalog>();

/** The lookups of the settings' directory, read once per settings object (none if it does not exist). */
export function lookupCatalog(s: LookupSettings): LookupCatalog {
  let catalog = loaded.get(s);
  if (!catalog) {
    catalog = catalogOf(loadLookupDir(lookupsDirOf(s)));
    loaded.set(s, catalog);
  }
  return catalog;
}

export function catalogOf(tables: LookupTable[]): LookupCatalog {
  return new Map(tables.map((t) => [t.name, t]));
}

/** The configured lookups with what outputlookup stored on top (its rows replace a file's). */
export function withStored(
  catalog: LookupCatalog,
  written: readonly (WrittenRows & { name: string })[],
): LookupCatalog {
  const out = new Map(catalog);
  for (const w of written) out.set(w.name, stored(catalog.get(w.name), w.name, w, false));
  return out;
}
