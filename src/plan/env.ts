import { caseWhen, coalesce, lit, type Expr, type Stage } from './ir.js';
import { alwaysNull, type TE } from './typed.js';

/**
 * A field environment: what each SPL field name means at one point of the pipeline, as an
 * expression in the current stage's scope. Each command wraps the previous environment, so
 * names resolve lazily, and only fields something uses ever reach the SQL.
 */
export interface Env {
  /** undefined: no source field or earlier command defines this name */
  resolve(name: string): TE | undefined;
  /** the ordered field set when it is known (after stats or table), else undefined */
  names(): string[] | undefined;
  /** `spath path=...` over `_raw`: the source decides what the raw event is */
  spathRaw(path: string): TE | undefined;
  /**
   * A value that is distinct exactly when the events' `_raw` texts are (the event id), for
   * `dc(_raw)`; undefined once the raw events are gone (after stats or table).
   */
  rawIdentity(): TE | undefined;
}

abstract class Wrapper implements Env {
  constructor(protected readonly prev: Env) {}
  abstract resolve(name: string): TE | undefined;
  names(): string[] | undefined {
    return this.prev.names();
  }
  spathRaw(path: string): TE | undefined {
    return this.prev.spathRaw(path);
  }
  rawIdentity(): TE | undefined {
    return this.prev.rawIdentity();
  }
}

/** Fields set or removed by eval, rename, fillnull, spath output, ... (null = removed). */
export class OverlayEnv extends Wrapper {
  constructor(
    prev: Env,
    private readonly defs: Map<string, TE | null>,
    private readonly nameList?: string[],
  ) {
    super(prev);
  }
  resolve(name: string): TE | undefined {
    if (this.defs.has(name)) return this.defs.get(name) ?? undefined;
    return this.prev.resolve(name);
  }
  override names(): string[] | undefined {
    if (this.nameList) return this.nameList;
    const prev = this.prev.names();
    if (!prev) return undefined;
    const out = prev.filter((n) => !this.defs.has(n) || this.defs.get(n) !== null);
    for (const [n, v] of this.defs) if (v !== null && !out.includes(n)) out.push(n);
    return out;
  }
}

/** One value computed only when something reads it (internal row numbers nobody may need). */
export class LazyEnv extends Wrapper {
  private value: TE | undefined;
  private made = false;
  constructor(
    prev: Env,
    private readonly name: string,
    private readonly make: () => TE | undefined,
  ) {
    super(prev);
  }
  resolve(name: string): TE | undefined {
    if (name !== this.name) return this.prev.resolve(name);
    if (!this.made) {
      this.value = this.make();
      this.made = true;
    }
    return this.value;
  }
}

/** `rename a* as b*`: wildcards must match on both sides; targets are overwritten per event. */
export class WildcardRenameEnv extends Wrapper {
  private readonly fromRe: RegExp;
  private readonly toRe: RegExp;
  constructor(
    prev: Env,
    private readonly from: string,
    private readonly to: string,
  ) {
    super(prev);
    this.fromRe = wildcardRegex(from);
    this.toRe = wildcardRegex(to);
  }
  private sourceOf(name: string): string | undefined {
    const m = this.toRe.exec(name);
    if (!m) return undefined;
    let i = 1;
    return this.from.replace(/\*/g, () => m[i++] ?? '');
  }
  resolve(name: string): TE | undefined {
    // internal fields (_time, _raw) are not renamed by wildcards
    if (name.startsWith('_')) return this.prev.resolve(name);
    const source = this.sourceOf(name);
    const moved = source !== undefined ? this.prev.resolve(source) : undefined;
    // a field matching the source pattern has been renamed away
    const kept = this.fromRe.test(name) ? undefined : this.prev.resolve(name);
    if (moved && kept && !alwaysNull(kept)) {
      // the renamed value wins where the event has it; elsewhere the field keeps its value
      return { e: coalesce(moved.e, kept.e), t: moved.t === kept.t ? moved.t : 'str' };
    }
    return moved ?? kept;
  }
  override names(): string[] | undefined {
    const prev = this.prev.names();
    if (!prev) return undefined;
    const out: string[] = [];
    for (const n of prev) {
      const m = this.fromRe.exec(n);
      if (!m) {
        if (!out.includes(n)) out.push(n);
        continue;
      }
      let i = 1;
      const target = this.to.replace(/\*/g, () => m[i++] ?? '');
      if (!out.includes(target)) out.push(target);
    }
    return out;
  }
}

export function wildcardRegex(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('(.*)')}$`);
}

/**
 * `fillnull` without a field list: fills only fields that have a value in at least one
 * result. Decided over the whole result set, so it is a window aggregate (OVER ()).
 */
export class FillnullEnv extends Wrapper {
  constructor(
    prev: Env,
    private readonly value: string,
  ) {
    super(prev);
  }
  resolve(name: string): TE | undefined {
    const te = this.prev.resolve(name);
    if (!te || alwaysNull(te) || name === '_time') return te;
    const filled = fillValue(te, this.value);
    return {
      e: caseWhen(
        [{ when: { k: 'bin', o: '>', l: { k: 'win', f: 'count', a: [te.e] }, r: lit(0) }, then: filled.e }],
        te.e,
      ),
      t: filled.t,
    };
  }
}

/** coalesce(field, value) keeping the field's kind where the value fits it. */
export function fillValue(te: TE, value: string): TE {
  if ((te.t === 'num' || te.t === 'int') && /^-?\d+(\.\d+)?$/.test(value)) {
    return { e: coalesce(te.e, lit(Number(value))), t: te.t };
  }
  if (te.t === 'mv') return { e: coalesce(te.e, { k: 'array', items: [lit(value)] }), t: 'mv' };
  if (te.t === 'null') return { e: lit(value), t: 'str' };
  if (te.t === 'str') return { e: coalesce(te.e, lit(value)), t: 'str' };
  return { e: coalesce({ k: 'cast', a: te.e, to: 'varchar' }, lit(value)), t: 'str' };
}

/**
 * The start of a new stage reading the previous one: a field used here is projected by the
 * previous stage (once) and read back as a column.
 */
export class BoundaryEnv extends Wrapper {
  private readonly cache = new Map<string, TE | undefined>();
  private readonly rawCache = new Map<string, TE | undefined>();
  constructor(
    prev: Env,
    private readonly stage: Stage,
  ) {
    super(prev);
  }
  private export(key: string, te: TE | undefined): TE | undefined {
    if (!te) return undefined;
    if (te.e.k === 'lit') return te;
    const column = allocColumn(this.stage, key, te.e);
    return { e: { k: 'col', scope: this.stage.alias, path: [column] }, t: te.t };
  }
  resolve(name: string): TE | undefined {
    if (!this.cache.has(name)) this.cache.set(name, this.export(name, this.prev.resolve(name)));
    return this.cache.get(name);
  }
  override spathRaw(path: string): TE | undefined {
    if (!this.rawCache.has(path)) this.rawCache.set(path, this.export(`spath_${path}`, this.prev.spathRaw(path)));
    return this.rawCache.get(path);
  }
  override rawIdentity(): TE | undefined {
    if (!this.rawCache.has('\0raw')) this.rawCache.set('\0raw', this.export('raw_id', this.prev.rawIdentity()));
    return this.rawCache.get('\0raw');
  }
}

/** After stats: exactly the grouped fields and aggregates, as columns of the stats stage. */
export class ClosedEnv implements Env {
  constructor(
    private readonly scope: string,
    private readonly fields: { name: string; column: string; t: TE['t'] }[],
  ) {}
  resolve(name: string): TE | undefined {
    const f = this.fields.find((x) => x.name === name);
    return f ? { e: { k: 'col', scope: this.scope, path: [f.column] }, t: f.t } : undefined;
  }
  names(): string[] {
    return this.fields.map((f) => f.name);
  }
  spathRaw(): TE | undefined {
    return undefined;
  }
  rawIdentity(): TE | undefined {
    return undefined;
  }
}

/** `table` / `fields`: only the listed fields remain, in that order. */
export class SelectEnv extends Wrapper {
  constructor(
    prev: Env,
    private readonly keep: string[],
  ) {
    super(prev);
  }
  resolve(name: string): TE | undefined {
    return this.keep.includes(name) ? this.prev.resolve(name) : undefined;
  }
  override names(): string[] {
    return this.keep;
  }
  override spathRaw(): TE | undefined {
    return undefined;
  }
  override rawIdentity(): TE | undefined {
    return this.keep.includes('_raw') ? this.prev.rawIdentity() : undefined;
  }
}

/** `spath input=f` without a path: every key of f's JSON becomes a field (keeping old values where absent). */
export class SpathAutoEnv extends Wrapper {
  constructor(
    prev: Env,
    private readonly extract: (name: string) => TE | undefined,
  ) {
    super(prev);
  }
  resolve(name: string): TE | undefined {
    const before = this.prev.resolve(name);
    const found = this.extract(name);
    if (!found) return before;
    if (!before || alwaysNull(before)) return found;
    return { e: coalesce(found.e, before.e), t: found.t === before.t ? found.t : 'str' };
  }
}

/** A column name for `name` in the stage's outputs (SQL-safe, unique, stable per expression). */
export function allocColumn(stage: Stage, name: string, e: Expr): string {
  for (const [col, existing] of stage.outputs) {
    if (existing === e) return col;
  }
  const base = sqlName(name);
  let col = base;
  for (let n = 2; stage.outputs.has(col); n++) col = `${base}_${n}`;
  stage.outputs.set(col, e);
  return col;
}

/** A fresh output column even when another field has the same expression. */
export function allocUnique(stage: Stage, name: string, e: Expr): string {
  const base = sqlName(name);
  let col = base;
  for (let n = 2; stage.outputs.has(col); n++) col = `${base}_${n}`;
  stage.outputs.set(col, e);
  return col;
}

/** Athena lower-cases identifiers, so output columns are lower-case; the SPL name is kept aside. */
export function sqlName(name: string): string {
  let s = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) s = 'f';
  if (/^[0-9]/.test(s)) s = `f_${s}`;
  return s;
}
