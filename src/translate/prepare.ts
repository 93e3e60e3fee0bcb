/**
 * A detection and the configuration in, its translation out, ready to run: shared by `hunt run`,
 * `hunt compile`, the scheduler and the runner, so it sits below all of them (compile/ and
 * scheduler/ must not import runner/ for it).
 */
import { findRule, findRuleInDir } from '../detections/catalog.js';
import { LayeredMacros, MacroDirLayer, type MacroLayer } from '../detections/macros.js';
import type { Detection } from '../detections/model.js';
import { packageRoot } from '../paths.js';
import type { DialectName } from '../sql/dialect.js';
import type { MacroDef } from '../spl/macros.js';
import { LOCAL_LAKE } from '../sources/bindings.js';
import { READ_DEFAULT, storageFor, type ReadChoice } from '../sources/read-from.js';
import type { StorageTarget } from '../sources/storage.js';
import type { BatchSpec } from './batch-plan.js';
import { lookupCatalog } from './lookups.js';
import type { LookupCatalog } from '../plan/lookup-table.js';
import { translateStaged, type Staged } from './staged.js';
import { translateBatched, type BatchTranslation, type Translation } from './translate.js';
import { basename, join } from 'node:path';

/**
 * What preparing reads of the configuration: the configuration file's loader (config/, above
 * this layer) gives a HuntConfig, which has these and more.
 */
export interface PrepareSettings {
  /** configuration macro overrides, the first layer */
  macros: MacroDef[];
  timezone: string;
  /** the configured Athena tables */
  athenaStorage: StorageTarget;
  /** which source each sourcetype's detections read (`read:`, `--source`); absent: their own */
  read?: ReadChoice;
  /** where a RULE given by name is looked up */
  detectionsDir: string;
  /** the security_content `lookups/` directory (absent: `lookups` beside the detections directory) */
  lookupsDir?: string;
}

/** A detection ready to run: its translation for one dialect. */
export interface Prepared {
  detection: Detection;
  translation: Translation;
  /**
   * The translation answering many tiled windows in one query, or why it cannot (runWindows
   * then goes window by window); absent: always window by window.
   */
  batched?: (spec: BatchSpec) => BatchTranslation;
  /**
   * A search that writes a lookup (outputlookup) runs in steps: its first step given the
   * lookups as stored (`lookups`, the configured ones, with what was written since on top).
   * Then `translation` is its final query as planned before anything is stored, and `steps`
   * the queries whose rows are stored first, for showing.
   */
  staged?: (lookups: LookupCatalog) => Staged;
  steps?: { lookup: string; append: boolean; translation: Translation }[];
  lookups?: LookupCatalog;
}

/** The steps of a staged search as planned with nothing stored yet, and its final query. */
function stepsOf(first: Staged): { steps: NonNullable<Prepared['steps']>; final: Translation } {
  const steps: NonNullable<Prepared['steps']> = [];
  let s = first;
  while (s.kind === 'write') {
    steps.push({ lookup: s.lookup, append: s.append, translation: s.translation });
    s = s.next({ fields: s.translation.fields.map((f) => f.name), rows: [] });
  }
  return { steps, final: s.translation };
}

/**
 * A detection file and what preparing it gave: the detection ready to run, or why there is none.
 * `hunt compile`'s outcomes are of this shape too, so the scheduler takes them without knowing
 * the compile command.
 */
export interface PreparedOutcome {
  /** absolute path of the YAML file */
  file: string;
  /** absent when the file is not a valid detection */
  detection?: Detection;
  prepared?: Prepared;
  /** the loader's or the compiler's message when it did not compile */
  error?: string;
}

/** Macro layers: configuration overrides, the detections' own macros, then hunt's shipped ones. */
export function macroTable(
  config: PrepareSettings,
  detectionMacros: MacroLayer[],
  extra: MacroDef[] = [],
): LayeredMacros {
  const shipped = MacroDirLayer.of(join(packageRoot(), 'detections', 'macros'));
  return new LayeredMacros([extra, config.macros, ...detectionMacros, shipped]);
}

export function prepare(
  detection: Detection,
  macros: LayeredMacros,
  config: PrepareSettings,
  dialect: DialectName,
): Prepared {
  // Athena reads the configured tables; the local lake has one layout. Either may read a
  // sourcetype from another source's tables, as configured for the detection.
  const storage = storageFor(dialect === 'athena' ? config.athenaStorage : LOCAL_LAKE, config.read ?? READ_DEFAULT, [
    detection.id,
    detection.name,
    basename(detection.file).replace(/\.ya?ml$/i, ''),
  ]);
  const lookups = lookupCatalog(config);
  const opts = { dialect, macros, zone: config.timezone, storage, lookups };
  // one parse tells a search that writes a lookup from one that does not
  const first = translateStaged(detection.search, opts);
  if (first.kind === 'write') {
    // runs in steps, window by window: each window's baseline reads the one before
    const staged = (current: LookupCatalog): Staged => translateStaged(detection.search, { ...opts, lookups: current });
    const { steps, final } = stepsOf(first);
    return { detection, translation: final, steps, lookups, staged };
  }
  const translation = first.translation;
  // planned again on first use (the plan is rewritten in place), once per window layout
  const cache = new Map<string, BatchTranslation>();
  const batched = (spec: BatchSpec): BatchTranslation => {
    const key = `${spec.windowSeconds}/${spec.offsetSeconds}`;
    let t = cache.get(key);
    if (!t) {
      t = translateBatched(detection.search, opts, spec);
      cache.set(key, t);
    }
    return t;
  };
  return { detection, translation, batched };
}

/** RULE (name, id, stem or file) → the prepared detection, reading the catalog only when needed. */
export function prepareRule(
  rule: string,
  config: PrepareSettings,
  dialect: DialectName,
  extra: MacroDef[] = [],
): Prepared {
  const isPath = /\.ya?ml$/i.test(rule) || rule.includes('/');
  const found = isPath ? findRule(rule, undefined) : findRuleInDir(rule, config.detectionsDir);
  return prepare(found.detection, macroTable(config, found.macros, extra), config, dialect);
}
