import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DetectionError, loadDetection, stemOf, unreadable } from './load.js';
import { MacroDirLayer, macroDirsFor, type MacroLayer, unreadableMacroFiles } from './macros.js';
import type { Detection } from './model.js';

export interface Catalog {
  dir: string;
  detections: Detection[];
  /** the macros/ directories next to the detections */
  macros: MacroLayer[];
  /**
   * files that could not be loaded, entries that could not be read (a dangling symlink, a
   * symlink loop) and detections whose id another file has too; they do not stop the others
   */
  problems: DetectionError[];
}

/** Every detection YAML below `dir` (macros/ directories excluded), and the macros next to them. */
export function loadCatalog(dir: string): Catalog {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DetectionError(root, 'is not a directory of detections');
  }
  const { files, problems } = yamlFiles(root);
  const loaded = loadAll(files, problems);
  const { unique, clashes } = uniqueIds(loaded);
  const dirs = macroDirsFor(root);
  const macros = dirs.map((d) => MacroDirLayer.of(d));
  const badMacros = dirs.flatMap(unreadableMacroFiles);
  return { dir: root, detections: unique, macros, problems: [...problems, ...badMacros, ...clashes] };
}

/**
 * Runs and schedule windows are stored by detection id and version, so two files with one id
 * and version would overwrite each other's history. Neither is used: which one the user meant
 * is not ours to guess, and taking the first in file order would change with a rename. Each is
 * reported, naming the other file. (One id in several versions is allowed: the versions' runs
 * are kept apart.)
 */
function uniqueIds(detections: Detection[]): { unique: Detection[]; clashes: DetectionError[] } {
  const byKey = new Map<string, Detection[]>();
  for (const d of detections) byKey.set(identity(d), [...(byKey.get(identity(d)) ?? []), d]);
  const clashes: DetectionError[] = [];
  for (const same of byKey.values()) if (same.length > 1) for (const d of same) clashes.push(duplicateIdError(d, same));
  return { unique: detections.filter((d) => byKey.get(identity(d))?.length === 1), clashes };
}

const identity = (d: Detection): string => `${d.id.toLowerCase()} ${d.version}`;

function duplicateIdError(d: Detection, same: Detection[]): DetectionError {
  const others = same.filter((o) => o !== d).map((o) => o.file);
  return new DetectionError(
    d.file,
    `detection id ${d.id} version ${d.version} is also the id and version of ${others.join(', ')}: ` +
      'they must be unique (runs are stored by them), so neither is used',
  );
}

/**
 * The YAML files below `dir` (not in macros/ or hidden directories). An entry that cannot be
 * read (a dangling symlink, a symlink loop, no permission) is a problem reported with its path
 * and reason, and the others are still found; a directory reached twice through symlinks is
 * read once.
 */
function yamlFiles(dir: string): { files: string[]; problems: DetectionError[] } {
  const files: string[] = [];
  const problems: DetectionError[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    const real = realpathSync(d);
    if (seen.has(real)) return;
    seen.add(real);
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      try {
        const st = statSync(p);
        if (st.isDirectory()) {
          if (e !== 'macros' && !e.startsWith('.')) walk(p);
        } else if (/\.ya?ml$/i.test(e)) files.push(p);
      } catch (err) {
        problems.push(new DetectionError(p, unreadable(err)));
      }
    }
  };
  walk(dir);
  return { files, problems };
}

export class UnknownRuleError extends Error {
  override name = 'UnknownRuleError';
}

/**
 * RULE looked up in a directory without parsing every file: a file whose stem is RULE, else
 * only the files whose text mentions RULE are parsed (a security_content checkout holds
 * thousands of detections; `hunt run` should not read them all).
 */
export function findRuleInDir(rule: string, dir: string): { detection: Detection; macros: MacroLayer[] } {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new DetectionError(root, 'is not a directory of detections');
  // entries that cannot be read are not RULE's concern, as other broken files are not: only
  // the files that may be RULE are read (reported when RULE names one, see findRule)
  const { files, problems } = yamlFiles(root);
  const want = rule.toLowerCase();
  const byStem = files.filter((f) => stemOf(f).toLowerCase() === want);
  const candidates = byStem.length > 0 ? byStem : files.filter((f) => mentions(f, want));
  const detections = loadAll(candidates, problems);
  const found = findRule(rule, { dir: root, detections, macros: [], problems });
  // its id and version must be its alone: another file with them would overwrite its runs (see uniqueIds)
  const id = found.detection.id.toLowerCase();
  const same = loadAll(
    files.filter((f) => f !== found.detection.file && mentions(f, id)),
    [],
  ).filter((d) => identity(d) === identity(found.detection));
  if (same.length > 0) throw duplicateIdError(found.detection, [found.detection, ...same]);
  return { detection: found.detection, macros: macroDirsFor(root).map((d) => MacroDirLayer.of(d)) };
}

/** Whether a file's text holds `text` (lower case); a file that cannot be read does not. */
function mentions(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8').toLowerCase().includes(text);
  } catch {
    return false;
  }
}

/** The detections of these files; those that cannot be loaded go to `problems`. */
function loadAll(files: string[], problems: DetectionError[]): Detection[] {
  const out: Detection[] = [];
  for (const f of files) {
    try {
      out.push(loadDetection(f));
    } catch (err) {
      if (err instanceof DetectionError) problems.push(err);
      else throw err;
    }
  }
  return out;
}

/**
 * RULE as the CLI takes it: a path to a YAML file, or a detection's name, id or file stem
 * in the catalog. A file's macros come from `macros/` directories above it.
 */
export function findRule(rule: string, catalog: Catalog | undefined): { detection: Detection; macros: MacroLayer[] } {
  if (/\.ya?ml$/i.test(rule) || rule.includes('/')) {
    const file = resolve(rule);
    if (!existsSync(file)) throw new UnknownRuleError(`no detection file ${rule}`);
    return { detection: loadDetection(file), macros: macrosAbove(file) };
  }
  if (!catalog) throw new UnknownRuleError(`unknown detection ${rule}`);
  const want = rule.toLowerCase();
  const hits = catalog.detections.filter(
    (d) => d.id.toLowerCase() === want || d.name.toLowerCase() === want || stemOf(d.file).toLowerCase() === want,
  );
  if (hits.length === 1) return { detection: hits[0] as Detection, macros: catalog.macros };
  if (hits.length > 1) {
    throw new UnknownRuleError(`${rule} matches several detections: ${hits.map((h) => h.file).join(', ')}`);
  }
  const broken = catalog.problems.find((p) => stemOf(p.file).toLowerCase() === want);
  if (broken) throw broken;
  const near = catalog.detections
    .filter((d) => d.name.toLowerCase().includes(want) || stemOf(d.file).includes(want))
    .slice(0, 5)
    .map((d) => d.name);
  throw new UnknownRuleError(
    `unknown detection ${rule} in ${catalog.dir}${near.length ? ` (did you mean: ${near.join('; ')})` : ''}`,
  );
}

function macrosAbove(file: string): MacroLayer[] {
  const out: MacroLayer[] = [];
  let dir = dirname(file);
  for (let i = 0; i < 4; i++) {
    const m = join(dir, 'macros');
    if (existsSync(m) && statSync(m).isDirectory()) out.push(MacroDirLayer.of(m));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}
