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
  /** the table's own names, when the content reads it by another format's (source.rawNames) */
  private readonly own: SourceEnv | undefined;

  constructor(
    readonly source: SourceDef,
    readonly scope: string,
    /** compiles an eval expression (the derived field definitions) against an environment */
    private readonly compileDerived: (text: string, env: Env, field: string) => TE,
    /** told of a raw name the source's mapping has no value for, and why */
    private readonly onMissing: (name: string, why: string) => void = () => {},
  ) {
    if (source.rawNames) {
      const { rawNames: _, ...ownNames } = source;
      this.own = new SourceEnv({ ...ownNames, derived: {} }, scope, compileDerived);
    }
  }

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
    if (this.own) return this.mapped(name, 'field', this.own);
    const segs = parseFieldPath(this.source.aliases?.[name] ?? name);
    if (!segs) return undefined;
    return this.walk(this.source.schema.columns, segs, [], 'field');
  }

  spathRaw(path: string): TE | undefined {
    if (this.own) return this.mapped(path, 'spath', this.own);
    const segs = parseFieldPath(this.source.aliases?.[path] ?? path);
    if (!segs) return undefined;
    return this.walk(this.source.schema.columns, segs, [], 'spath');
  }

  /** Another format's raw name, through the source's map onto its own names (see RawNameMap). */
  private mapped(name: string, mode: 'field' | 'spath', own: SourceEnv): TE | undefined {
    const map = this.source.rawNames;
    if (!map) return undefined;
    const defined = map.fields[name];
    if (defined !== undefined) return this.compileDerived(defined, own, name);
    const why = map.missing[name];
    if (why !== undefined) {
      this.onMissing(name, why);
      return undefined;
    }
    const segs = parseFieldPath(name);
    if (!segs) return undefined;
    const [head, ...rest] = segs;
    const holder = head && map.json[head.key];
    if (head && holder !== undefined) {
      const text = own.resolve(holder);
      return text && inJsonText(text.e, head.each, rest, mode);
    }
    if (!map.rest || !head || !map.rest.under.includes(head.key) || segs.some((x) => x.each)) return undefined;
    return own.resolve(`${map.rest.field}.${name}`);
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
    if (col.jsonText && this.source.naming === 'json') return inJsonText(ref, seg.each, rest, mode);
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
          // a leaf of each element, through nested structs (resources{}.owner.account.uid)
          const chain = this.elementPath(el.fields, rest);
          const field = chain?.[chain.length - 1];
          if (!chain || !field) return undefined;
          const v = `e_${chain.map((f) => f.name).join('_')}`;
          const body: Expr = { k: 'col', scope: v, path: chain.map((f) => f.name) };
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

  /** The fields a path walks inside an array's struct element, ending at a scalar one. */
  private elementPath(fields: Column[], segs: { key: string; each: boolean }[]): Column[] | undefined {
    const out: Column[] = [];
    let here = fields;
    for (const [i, seg] of segs.entries()) {
      if (seg.each) return undefined;
      const f = here.find((c) => (this.source.naming === 'json' ? (c.json ?? c.name) : c.name) === seg.key);
      if (!f) return undefined;
      out.push(f);
      const last = i === segs.length - 1;
      if (f.type.kind === 'struct' && !last) here = f.type.fields;
      else if (f.type.kind === 'struct' || f.type.kind === 'array' || f.type.kind === 'map' || !last) return undefined;
    }
    return out;
  }
}

/**
 * A path into an object kept as JSON text (CloudTrail's requestParameters, or Security Lake's
 * api.request.data read under CloudTrail's names): its leaves are fields; the object itself is
 * no field, only spath reads it whole; `{}` on the object itself is nothing.
 */
function inJsonText(
  text: Expr,
  each: boolean,
  rest: { key: string; each: boolean }[],
  mode: 'field' | 'spath',
): TE | undefined {
  if (each) return undefined;
  if (rest.length === 0) return mode === 'spath' ? { e: text, t: 'str' } : undefined;
  const many = rest.some((r) => r.each);
  return { e: { k: 'json', mode, a: text, path: toJsonSteps(rest) }, t: many ? 'mv' : 'str' };
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
