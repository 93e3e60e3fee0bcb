import type { CompareOp, Literal, Pipeline, SearchExpr, Span } from '../spl/ast.js';
import type { PlanContext } from './context.js';
import type { Env } from './env.js';
import { searchCidr } from './eval-text.js';
import { and, bin, caseWhen, FALSE, fn, lit, not, notNull, or, TRUE, type Expr } from './ir.js';
import { alwaysNull, isNumeric, looksNumeric, toNum, toStr, type TE } from './typed.js';

/** Search terms that set the time range in Splunk rather than match a field. */
const TIME_MODIFIERS = ['earliest', 'latest', '_index_earliest', '_index_latest'];

/** Plans a `[subsearch]` term into a condition on the outer rows. */
export type SubsearchFilter = (pipeline: Pipeline, span: Span) => Expr;

/**
 * `search` terms with Splunk's semantics: values match case-insensitively with `*` wildcards,
 * the right side of `=` is always a value, `f!=v` needs f to exist while `NOT f=v` also
 * matches events without f. Every term is two-valued (never NULL), so NOT behaves like Splunk.
 */
export function compileSearch(x: SearchExpr, env: Env, ctx: PlanContext, subsearch?: SubsearchFilter): Expr {
  const rec = (i: SearchExpr): Expr => compileSearch(i, env, ctx, subsearch);
  switch (x.k) {
    case 'and':
      return and(...x.items.map(rec));
    case 'or':
      return or(...x.items.map(rec));
    case 'not':
      return not(rec(x.item));
    case 'subsearch':
      if (!subsearch) throw ctx.error('a subsearch is not allowed here', x.span);
      return subsearch(x.pipeline, x.span);
    case 'term': {
      if (x.value.text === '*' && !x.value.quoted) return TRUE;
      throw ctx.error(
        `full-text search for "${x.value.text}" is not supported yet: name the field (field=value)`,
        x.span,
      );
    }
    case 'in': {
      const te = field(x.field, env, ctx, `${x.field} IN (...)`, x.span);
      if (!te) return FALSE;
      return or(...x.values.map((v) => matches(te, v, ctx)));
    }
    case 'cmp': {
      if (TIME_MODIFIERS.includes(x.field)) {
        throw ctx.error(
          `${x.field}=${x.value.text} in a search sets the time range, which hunt takes from the schedule (or --earliest/--latest); it is not supported here`,
          x.span,
        );
      }
      const te = field(x.field, env, ctx, `${x.field}${x.op}${x.value.text}`, x.span);
      if (!te) return FALSE;
      return compareTerm(te, x.op, x.value, ctx);
    }
  }
}

function field(
  name: string,
  env: Env,
  ctx: PlanContext,
  term: string,
  span: { start: number; end: number },
): TE | undefined {
  ctx.mention(name);
  const te = env.resolve(name);
  if (te && !alwaysNull(te)) return te;
  ctx.warn(`search term ${term} can never match: no source field or earlier command defines ${name}`, span, {
    code: 'unknown-field',
    field: name,
  });
  return undefined;
}

function compareTerm(te: TE, op: CompareOp, v: Literal, ctx: PlanContext): Expr {
  if (op === '=') return matches(te, v, ctx);
  if (op === '!=') {
    if (v.text === '*' && !v.quoted) {
      ctx.warn(`search term with !=* matches nothing (use NOT field=* for events without the field)`, v.span, {
        code: 'matches-nothing',
      });
      return FALSE;
    }
    // the field must exist and differ
    return and(notNull(te.e), not(matches(te, v, ctx)));
  }
  return ordered(te, op, v, ctx);
}

/** field=value: case-insensitive, `*` wildcards, any value of a multivalue field. */
function matches(te: TE, v: Literal, ctx: PlanContext): Expr {
  if (v.text === '*') return notNull(te.e);
  if (te.t === 'mv') {
    const name = ctx.fresh('m');
    return and(notNull(te.e), fn('anyMatch', te.e, { k: 'lambda', v: name, body: matchText({ k: 'var', name }, v) }));
  }
  const text = toStr(te);
  return and(notNull(text), matchText(text, v));
}

function matchText(text: Expr, v: Literal): Expr {
  const lowered = fn('lower', text);
  if (v.text.includes('*')) return { k: 'like', a: lowered, p: value(likePattern(v.text.toLowerCase()), v) };
  const same = bin('=', lowered, value(v.text.toLowerCase(), v));
  // Splunk's search matches a value in CIDR notation by the block: an address in it, or the
  // block's own text (ESCU's NACL detection compares cidrBlock, whose value is "0.0.0.0/0")
  const cidr = searchCidr(text, v.text);
  return cidr ? or(cidr, same) : same;
}

/** Values from configuration travel as parameters; the detection's own literals are SQL literals. */
function value(text: string, v: Literal): Expr {
  return v.external ? { k: 'param', slot: { kind: 'value', value: text } } : lit(text);
}

export function likePattern(wildcard: string): string {
  return wildcard.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** < <= > >=: numerically when both sides are numbers, else as text. */
function ordered(te: TE, op: '<' | '<=' | '>' | '>=', v: Literal, ctx: PlanContext): Expr {
  if (te.t === 'mv') {
    const name = ctx.fresh('m');
    return and(
      notNull(te.e),
      fn('anyMatch', te.e, { k: 'lambda', v: name, body: ordered({ e: { k: 'var', name }, t: 'str' }, op, v, ctx) }),
    );
  }
  if (looksNumeric(v.text)) {
    const n = v.external ? value(v.text, v) : lit(Number(v.text));
    const rhs = v.external ? { k: 'cast' as const, a: n, to: 'double' as const } : n;
    if (isNumeric(te.t)) return and(notNull(te.e), bin(op, te.e, rhs));
    const asNum = toNum(te);
    return and(
      notNull(te.e),
      caseWhen([{ when: notNull(asNum), then: bin(op, asNum, rhs) }], bin(op, toStr(te), value(v.text, v))),
    );
  }
  return and(notNull(te.e), bin(op, toStr(te), value(v.text, v)));
}
