import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findRule, findRuleInDir, loadCatalog } from '../detections/catalog.js';
import { DetectionError } from '../detections/load.js';
import type { Detection } from '../detections/model.js';
import { macroTable, prepare, type PrepareSettings, type Prepared } from '../translate/prepare.js';
import type { DialectName } from '../sql/dialect.js';
import type { LayeredMacros } from '../detections/macros.js';
import type { MacroDef } from '../spl/macros.js';
import { TranslateError, type Translation } from '../translate/translate.js';

/** One detection file and what compiling it gave: a translation, or why there is none. */
export interface CompileOutcome {
  /** absolute path of the YAML file */
  file: string;
  /** absent when the file is not a valid detection */
  detection?: Detection;
  translation?: Translation;
  /** the same, ready to run (with its batched form) */
  prepared?: Prepared;
  /** the loader's or the compiler's message when it did not compile */
  error?: string;
  /** where in the search or macro the compiler stopped, when it says */
  errorAt?: string;
}

/** What `hunt compile` / `hunt lint` were pointed at. */
export type Target = { kind: 'dir'; dir: string } | { kind: 'rule'; rule: string };

/**
 * RULE|DIR as the commands take it: an existing directory is a directory of detections,
 * anything else a rule (name, id, file stem or path, resolved like `hunt run`); nothing at
 * all means the configured detections directory.
 */
export function targetOf(arg: string | undefined, config: PrepareSettings): Target {
  if (arg === undefined) return { kind: 'dir', dir: config.detectionsDir };
  const path = resolve(arg);
  if (existsSync(path) && statSync(path).isDirectory()) return { kind: 'dir', dir: path };
  return { kind: 'rule', rule: arg };
}

export interface CompileOptions {
  dialect: DialectName;
  /** macros that win over everything else (the demo's allow-lists) */
  extraMacros?: MacroDef[];
}

/**
 * Compiles a target. A directory compiles every detection YAML below it, and a file that is
 * not a valid detection is an outcome with the loader's error, never an exception. A single
 * rule that cannot be found or loaded throws (bad input), one that does not compile is an
 * outcome with its error.
 */
export function compileTarget(target: Target, config: PrepareSettings, opts: CompileOptions): CompileOutcome[] {
  if (target.kind === 'dir') return compileDirectory(target.dir, config, opts);
  const isPath = /\.ya?ml$/i.test(target.rule) || target.rule.includes('/');
  const found = isPath ? findRule(target.rule, undefined) : findRuleInDir(target.rule, config.detectionsDir);
  return [compileDetection(found.detection, macroTable(config, found.macros, opts.extraMacros), config, opts.dialect)];
}

/** Every detection below `dir`, in file order; the macros/ directories next to them apply. */
export function compileDirectory(dir: string, config: PrepareSettings, opts: CompileOptions): CompileOutcome[] {
  const catalog = loadCatalog(dir);
  const macros = macroTable(config, catalog.macros, opts.extraMacros);
  const outcomes: CompileOutcome[] = [
    ...catalog.detections.map((d) => compileDetection(d, macros, config, opts.dialect)),
    ...catalog.problems.map((p) => ({ file: p.file, error: p.detail })),
  ];
  return outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** One detection; a failure to compile is part of the outcome. */
export function compileDetection(
  detection: Detection,
  macros: LayeredMacros,
  config: PrepareSettings,
  dialect: DialectName,
): CompileOutcome {
  try {
    const prepared = prepare(detection, macros, config, dialect);
    return { file: detection.file, detection, translation: prepared.translation, prepared };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    // a macro file the search uses may itself be broken: that is the detection's problem too
    const expected = err instanceof TranslateError || err instanceof DetectionError;
    const at = err instanceof TranslateError ? err.at : undefined;
    return {
      file: detection.file,
      detection,
      error: expected ? err.message : `internal error: ${err.message}`,
      ...(at ? { errorAt: at } : {}),
    };
  }
}
