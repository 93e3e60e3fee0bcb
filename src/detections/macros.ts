import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MacroDef, MacroTable } from '../spl/macros.js';
import { DetectionError, readYaml, unreadable } from './load.js';
import { describeIssue, macroSchema } from './schema.js';

/**
 * ESCU macro files (`name`, `definition`, `arguments`) in one directory. A file that cannot be
 * read or is not a macro goes to `problems` and the others still load: one bad entry of a
 * security_content checkout must not stop every detection.
 */
export function loadMacroDir(dir: string, problems: DetectionError[] = []): MacroDef[] {
  const out: MacroDef[] = [];
  for (const file of macroFiles(dir)) {
    try {
      out.push(loadMacroFile(file));
    } catch (err) {
      if (!(err instanceof DetectionError)) throw err;
      problems.push(err);
    }
  }
  return out;
}

/** The macro files of `dir` that cannot be read (dangling symlinks, loops), as problems to report. */
export function unreadableMacroFiles(dir: string): DetectionError[] {
  const out: DetectionError[] = [];
  for (const file of macroFiles(dir)) {
    try {
      statSync(file);
    } catch (err) {
      out.push(new DetectionError(file, unreadable(err)));
    }
  }
  return out;
}

/** The YAML files of a macros directory, sorted (none when it does not exist). */
function macroFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

export function loadMacroFile(file: string): MacroDef {
  const raw = readYaml(file);
  const parsed = macroSchema.safeParse(raw);
  if (!parsed.success) throw new DetectionError(file, parsed.error.issues.map(describeIssue).join('; '));
  return {
    name: parsed.data.name,
    args: parsed.data.arguments ?? [],
    definition: parsed.data.definition,
    definedIn: file,
    external: false,
  };
}

/** `macros:` from a config file: `NAME: definition` or `NAME: {definition, arguments}`. */
export function configMacros(
  entries: Record<string, string | { definition: string; arguments?: string[] }>,
  file: string,
): MacroDef[] {
  return Object.entries(entries).map(([name, v]) => ({
    name,
    args: typeof v === 'string' ? [] : (v.arguments ?? []),
    definition: typeof v === 'string' ? v : v.definition,
    definedIn: file,
    external: true,
  }));
}

/** Somewhere macros are looked up by name and number of arguments. */
export interface MacroLayer {
  lookup(name: string, argc: number): MacroDef | undefined;
  /** every definition of `name`, for the message when a call's number of arguments matches none */
  definitions(name: string): MacroDef[];
}

const listLayer = (defs: MacroDef[]): MacroLayer => ({
  lookup: (name, argc) => defs.find((m) => m.name === name && m.args.length === argc),
  definitions: (name) => defs.filter((m) => m.name === name),
});

/**
 * An ESCU macros/ directory, read lazily: `name.yml` first (ESCU names files after their
 * macro), the whole directory only when that misses. A security_content checkout has over a
 * thousand macros; a run needs a handful.
 */
export class MacroDirLayer implements MacroLayer {
  private readonly files = new Map<string, MacroDef | undefined>();
  private all: MacroDef[] | undefined;

  private constructor(readonly dir: string) {}

  private static readonly cache = new Map<string, MacroDirLayer>();
  /** one reader per directory per process */
  static of(dir: string): MacroDirLayer {
    let layer = MacroDirLayer.cache.get(dir);
    if (!layer) {
      layer = new MacroDirLayer(dir);
      MacroDirLayer.cache.set(dir, layer);
    }
    return layer;
  }

  lookup(name: string, argc: number): MacroDef | undefined {
    if (!this.files.has(name)) {
      // existsSync follows links: a dangling `name.yml` counts as absent here
      const file = [`${name}.yml`, `${name}.yaml`].map((f) => join(this.dir, f)).find((f) => existsSync(f));
      this.files.set(name, file ? loadMacroFile(file) : undefined);
    }
    const direct = this.files.get(name);
    if (direct && direct.name === name && direct.args.length === argc) return direct;
    this.all ??= loadMacroDir(this.dir);
    return this.all.find((m) => m.name === name && m.args.length === argc);
  }

  definitions(name: string): MacroDef[] {
    this.all ??= loadMacroDir(this.dir);
    return this.all.filter((m) => m.name === name);
  }
}

/**
 * Macro lookup in layers, first match wins (config overrides, then the detections' own
 * macros, then the shipped ones). Filter macros `<name>_filter` default to `search *`.
 */
export class LayeredMacros implements MacroTable {
  private readonly layers: MacroLayer[];

  constructor(layers: (MacroDef[] | MacroLayer)[]) {
    this.layers = layers.map((l) => (Array.isArray(l) ? listLayer(l) : l));
  }

  lookup(name: string, argc: number): MacroDef | undefined {
    for (const layer of this.layers) {
      const found = layer.lookup(name, argc);
      if (found) return found;
    }
    if (argc === 0 && name.endsWith('_filter')) {
      return { name, args: [], definition: 'search *', definedIn: 'the default for filter macros', external: false };
    }
    return undefined;
  }

  /** The definitions a call of `name` could have meant, one per number of arguments (the first layer's). */
  definitions(name: string): MacroDef[] {
    const out: MacroDef[] = [];
    for (const layer of this.layers) {
      for (const d of layer.definitions(name)) if (!out.some((o) => o.args.length === d.args.length)) out.push(d);
    }
    return out;
  }
}

/** Macro directories for detections under `dir`: any `macros/` inside it and next to it. */
export function macroDirsFor(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 4 || !existsSync(d)) return;
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (!isDirectory(p) || e.startsWith('.') || e === 'node_modules') continue;
      if (e === 'macros') out.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  const sibling = join(dir, '..', 'macros');
  if (existsSync(sibling) && !out.includes(sibling)) out.push(sibling);
  return out;
}

/** An entry that cannot be read (a dangling symlink, a loop) holds no macros; the catalog reports it. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
