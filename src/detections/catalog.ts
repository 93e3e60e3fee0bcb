import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MacroDef } from '../spl/macros.js';
import { DetectionError, loadDetection, stemOf } from './load.js';
import { loadMacroDir, macroDirsFor } from './macros.js';
import type { Detection } from './model.js';

export interface Catalog {
  dir: string;
  detections: Detection[];
  macros: MacroDef[];
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
  const macros = macroDirsFor(root).flatMap(loadMacroDir);
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

export class UnknownRuleError extends Error {}

/**
 * RULE as the CLI takes it: a path to a YAML file, or a detection's name, id or file stem
 * in the catalog. A file's macros come from `macros/` directories above it.
 */
export function findRule(rule: string, catalog: Catalog | undefined): { detection: Detection; macros: MacroDef[] } {
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

function macrosAbove(file: string): MacroDef[] {
  const out: MacroDef[] = [];
  let dir = dirname(file);
  for (let i = 0; i < 4; i++) {
    const m = join(dir, 'macros');
    if (existsSync(m) && statSync(m).isDirectory()) out.push(...loadMacroDir(m));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}
