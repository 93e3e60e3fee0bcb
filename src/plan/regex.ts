import type { Literal } from '../spl/ast.js';
import { and, coalesce, FALSE, fn, lit, notNull, type Expr } from './ir.js';
import type { PlannerState } from './planner-state.js';
import { toStr, type TE } from './typed.js';

/** A regex from the detection is SQL text; one from configuration travels as a parameter. */
export const patternExpr = (v: Literal, text = v.text): Expr =>
  v.external ? { k: 'param', slot: { kind: 'value', value: text } } : lit(text);

export function refuseRaw(
  p: PlannerState,
  command: string,
  field: { name: string; span: { start: number; end: number } },
): void {
  if (field.name !== '_raw' || p.env.resolve('_raw')) return;
  const why = !p.source
    ? 'lookup rows have no raw event text'
    : p.source.rawText
      ? 'the raw events are gone at this point (after stats or table)'
      : `hunt has no raw event text for ${p.source.sourcetype} (${p.source.raw})`;
  throw p.ctx.error(
    `\`${command}\` over _raw is not supported: ${why}; name the field (${command} field=...)`,
    field.span,
  );
}

/** true when the value (any value of a multivalue field) matches; false, never NULL, otherwise. */
export function regexMatches(te: TE, pattern: Expr, fresh: (prefix: string) => string): Expr {
  if (te.t === 'mv') {
    const v = fresh('m');
    return and(
      notNull(te.e),
      coalesce(fn('anyMatch', te.e, { k: 'lambda', v, body: fn('regexLike', { k: 'var', name: v }, pattern) }), FALSE),
    );
  }
  const text = toStr(te);
  return and(notNull(text), coalesce(fn('regexLike', text, pattern), FALSE));
}
