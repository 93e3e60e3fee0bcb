import type { SourceDef } from '../sources/sourcetype.js';
import type { Column } from '../sources/table-schema.js';
import type { Env } from './env.js';
import { caseWhen, cast, fn, lit, type Expr, type JsonStep } from './ir.js';
import { rawJsonText } from './raw-text.js';
import type { TE } from './typed.js';

/** `a.b{}.c` → steps; `{}` walks into every element of an array. */
export function parseFieldPath(name: string): { key: string; each: boolean }[] | undefined {
  const out: { key: string; each: boolean }[] = [];
  for (const part of name.split('.')) {
    const m = /^(.*?)((?:\{\})*)$/.exec(part);
    if (!m || m[1] === undefined) return undefined;
    const key = m[1];
    const eachCount = (m[2] ?? '').length / 2;
    if (!key && eachCount === 0) return undefined;
    if (key) out.push({ key, each: false });
    for (let i = 0; i < eachCount; i++) {
      if (out.length === 0) return undefined;
      (out[out.length - 1] as { each: boolean }).each = true;
      if (i > 0) out.push({ key: '', each: true });
    }
  }
  return out;
}

export const toJsonSteps = (segs: { key: string; each: boolean }[]): JsonStep[] =>
  segs.flatMap((s) => [
    ...(s.key ? [{ key: s.key } as JsonStep] : []),
    ...(s.each ? [{ each: true } as JsonStep] : []),
  ]);

/**
 * The fields of one source as the first stage sees them: raw names (CloudTrail JSON names or
 * OCSF columns), `_time`, and the add-on's search-time fields compiled from the source's data.
 */
export class SourceEnv implements Env {
  private readonly derivedCache = new Map<string, TE | undefined>();
  private resolving: string[] = [];

  constructor(
    readonly source: SourceDef,
    readonly scope: string,
    /** compiles an eval expression (the derived field definitions) against an environment */
    private readonly compileDerived: (text: string, env: Env, field: string) => TE,
  ) {}

  names(): undefined {
    return undefined;
  }

  resolve(name: string): TE | undefined {
    if (name === '_time') return this.time();
    if (name === '_raw') return this.rawText();
    const derived = this.source.derived[name];
    if (derived !== undefined && !this.resolving.includes(name)) {
      if (!this.derivedCache.has(name)) {
        this.resolving.push(name);
        try {
          // inside its own definition a name means the raw field (errorCode = coalesce(errorCode, ...))
          this.derivedCache.set(name, this.compileDerived(derived, this, name));
        } finally {
          this.resolving.pop();
        }
      }
      return this.derivedCache.get(name);
    }
    return this.raw(name);
  }

  /** `_raw` as text, where the source can rebuild it (src/plan/raw-text.ts) */
  private rawText(): TE | undefined {
    if (this.source.rawText !== 'json-columns') return undefined;
    this.rawCache ??= { e: rawJsonText(this.source.schema.columns, this.scope), t: 'str' };
    return this.rawCache;
  }
  private rawCache: TE | undefined;

  rawIdentity(): TE | undefined {
    return this.compileDerived(this.source.rawIdentity, this, '_raw');
  }

  /** `_time` in epoch seconds */
  time(): TE {
    const col: Expr = { k: 'col', scope: this.scope, path: [this.source.time.column] };
    if (this.source.time.kind === 'iso-string') return { e: fn('epochFromIso', col), t: 'num' };
    return { e: { k: 'bin', o: '/', l: col, r: lit(1000) }, t: 'num' };
  }

  /** the column holding event time and its unit, for window predicates */
  timeColumn(): Expr {
    return { k: 'col', scope: this.scope, path: [this.source.time.column] };
  }

  private raw(name: string): TE | undefined {
    const segs = parseFieldPath(this.source.aliases?.[name] ?? name);
    if (!segs) return undefined;
    return this.walk(this.source.schema.columns, segs, [], 'field');
  }

  spathRaw(path: string): TE | undefined {
    const segs = parseFieldPath(this.source.aliases?.[path] ?? path);
    if (!segs) return undefined;
    return this.walk(this.source.schema.columns, segs, [], 'spath');
  }

  private walk(
    columns: Column[],
    segs: { key: string; each: boolean }[],
    path: string[],
    mode: 'field' | 'spath',
  ): TE | undefined {
    const [seg, ...rest] = segs;
    if (!seg) return undefined;
    const col = columns.find((c) => (this.source.naming === 'json' ? (c.json ?? c.name) : c.name) === seg.key);
    if (!col) return undefined;
    const here = [...path, col.name];
    const ref: Expr = { k: 'col', scope: this.scope, path: here };
    const t = col.type;
    // OCSF keeps request/response data as JSON *strings*: a plain field to Splunk, parsed
    // only by spath. CloudTrail's requestParameters are objects: their leaves are fields.
    if (col.jsonText && this.source.naming === 'json') {
      if (seg.each) return undefined;
      if (rest.length === 0) return mode === 'spath' ? { e: ref, t: 'str' } : undefined;
      const steps = toJsonSteps(rest);
      const many = rest.some((s) => s.each);
      return { e: { k: 'json', mode, a: ref, path: steps }, t: many ? 'mv' : 'str' };
    }
    switch (t.kind) {
      case 'struct':
        if (seg.each || rest.length === 0) return undefined;
        return this.walk(t.fields, rest, here, mode);
      case 'map':
        if (seg.each || rest.length === 0) return undefined;
        return { e: fn('mapGet', ref, lit(rest.map((r) => r.key).join('.'))), t: 'str' };
      case 'array': {
        if (!seg.each) return undefined;
        const el = t.element;
        if (el.kind === 'struct') {
          if (rest.length !== 1 || rest[0]?.each) return undefined;
          const field = el.fields.find(
            (f) => (this.source.naming === 'json' ? (f.json ?? f.name) : f.name) === rest[0]?.key,
          );
          if (!field) return undefined;
          const v = `e_${field.name}`;
          const body: Expr = { k: 'col', scope: v, path: [field.name] };
          return {
            e: fn(
              'nullIfEmpty',
              fn('arrayCompact', fn('arrayTransform', ref, { k: 'lambda', v, body: scalarText(body, field) })),
            ),
            t: 'mv',
          };
        }
        if (rest.length > 0) return undefined;
        return { e: fn('nullIfEmpty', fn('arrayCompact', ref)), t: 'mv' };
      }
      default:
        if (seg.each || rest.length > 0) return undefined;
        return leaf(ref, col);
    }
  }
}

function leaf(ref: Expr, col: Column): TE {
  switch (col.type.kind) {
    case 'bigint':
    case 'int':
      return { e: ref, t: 'int' };
    case 'double':
      return { e: ref, t: 'num' };
    case 'boolean':
      // JSON booleans are the strings true/false in Splunk
      return {
        e: caseWhen([
          { when: ref, then: lit('true') },
          { when: { k: 'not', a: ref }, then: lit('false') },
        ]),
        t: 'str',
      };
    case 'timestamp':
      return { e: cast(ref, 'varchar'), t: 'str' };
    default:
      return { e: ref, t: 'str' };
  }
}

function scalarText(e: Expr, col: Column): Expr {
  return col.type.kind === 'string' ? e : cast(e, 'varchar');
}
