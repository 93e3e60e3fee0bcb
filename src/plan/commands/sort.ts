import type { Command, SortKey } from '../../spl/ast.js';
import { caseWhen, isNull, lit, notNull } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { keepFirst } from '../rows.js';
import { alwaysNull, isNumeric, toNum, toStr, type TE } from '../typed.js';

/**
 * `sort [N] [+|-]f ...`: orders by the keys (ties keep their previous order) and keeps the
 * first N results (Splunk's default 10,000; 0 keeps all). auto ordering: numbers numerically
 * before other text, which sorts lexicographically; `-` reverses a key. Rows missing a key
 * come last either way.
 */
export function sort(p: PlannerState, cmd: Extract<Command, { k: 'sort' }>): void {
  const terms: { te: TE; desc: boolean }[] = [];
  for (const key of cmd.keys) {
    p.ctx.mention(key.field.name);
    const te = p.env.resolve(key.field.name);
    if (!te || alwaysNull(te)) {
      p.ctx.warn(
        `sort ${key.field.name}: no source field or earlier command defines ${key.field.name}; it does not order anything`,
        key.field.span,
        {
          code: 'unknown-field',
          field: key.field.name,
        },
      );
      continue;
    }
    terms.push(...sortTerms(te, key));
  }
  const previous = p.orderTerms().map((o) => ({ te: { e: o.e, t: 'str' as const }, desc: o.desc ?? false }));
  p.setOrder([...terms, ...previous]);
  if (cmd.limit > 0) keepFirst(p, p.rowNumber(), cmd.limit);
}

function sortTerms(te: TE, key: SortKey): { te: TE; desc: boolean }[] {
  const desc = key.desc;
  if (key.as === 'str') return [{ te: { e: toStr(te), t: 'str' }, desc }];
  const num = toNum(te);
  if (key.as === 'num' || isNumeric(te.t)) return [{ te: { e: num, t: 'num' }, desc }];
  // numbers first (0), then other text (1); a missing value has no class and comes last
  const kind = caseWhen(
    [
      { when: isNull(te.e), then: lit(null) },
      { when: notNull(num), then: lit(0) },
    ],
    lit(1),
  );
  return [
    { te: { e: kind, t: 'int' }, desc },
    { te: { e: num, t: 'num' }, desc },
    { te: { e: toStr(te), t: 'str' }, desc },
  ];
}
