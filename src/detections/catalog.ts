import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DetectionError, loadDetection, stemOf } from './load.js';
import { MacroDirLayer, macroDirsFor, type MacroLayer } from './macros.js';
import type { Detection } from './model.js';

export interface Catalog {
  dir: string;
  detections: Detection[];
  /** the macros/ directories next to the detections */
  macros: MacroLayer[];
  /** files that could not be loaded; they do not stop the others */
  problems: DetectionError[];
}

/** Every detection YAML below `dir` (macros/ directories excluded), and the macros next to them. */
export function loadCatalog(dir: string): Catalog {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DetectionError(root, 'is not a directory of detections');
  }
  const detections: Detection[] = [];
  const problems: DetectionError[] = [];
  for (const file of yamlFiles(root)) {
    try {
      detections.push(loadDetection(file));
    } catch (err) {
      if (err instanceof DetectionError) problems.push(err);
      else throw err;
    }
  }
  const macros = macroDirsFor(root).map((d) => MacroDirLayer.of(d));
  return { dir: root, detections, macros, problems };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (e !== 'macros' && !e.startsWith('.')) out.push(...yamlFiles(p));
    } else if (/\.ya?ml$/i.test(e)) out.push(p);
  }
  return out;
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
  const files = yamlFiles(root);
  const want = rule.toLowerCase();
  const byStem = files.filter((f) => stemOf(f).toLowerCase() === want);
  const candidates =
    byStem.length > 0 ? byStem : files.filter((f) => readFileSync(f, 'utf8').toLowerCase().includes(want));
  const detections: Detection[] = [];
  const problems: DetectionError[] = [];
  for (const f of candidates) {
    try {
      detections.push(loadDetection(f));
    } catch (err) {
      if (err instanceof DetectionError) problems.push(err);
      else throw err;
    }
  }
  const found = findRule(rule, { dir: root, detections, macros: [], problems });
  return { detection: found.detection, macros: macroDirsFor(root).map((d) => MacroDirLayer.of(d)) };
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
