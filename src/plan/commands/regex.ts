import type { Command } from '../../spl/ast.js';
import { FALSE, not, TRUE } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { patternExpr, refuseRaw, regexMatches } from '../regex.js';
import { checkRegex } from '../regex-syntax.js';
import { alwaysNull } from '../typed.js';

/**
 * `regex f="re"` keeps the events where f matches the regex anywhere (unanchored);
 * `regex f!="re"` keeps the others. A multivalue field matches when any of its values does.
 * An event without f never matches: `=` drops it, `!=` keeps it.
 */
export function regexFilter(p: PlannerState, cmd: Extract<Command, { k: 'regex' }>): void {
  refuseRaw(p, 'regex', cmd.field);
  const { pattern } = checkRegex(p.ctx, cmd.pattern.text, cmd.pattern.span);
  p.ctx.mention(cmd.field.name);
  const te = p.env.resolve(cmd.field.name);
  if (!te || alwaysNull(te)) {
    p.ctx.warn(
      `regex ${cmd.field.name}${cmd.negate ? '!=' : '='}: no source field or earlier command defines ${cmd.field.name}, so ${cmd.negate ? 'every event is kept' : 'no event is kept'}`,
      cmd.field.span,
      { code: 'unknown-field', field: cmd.field.name },
    );
    p.filter(cmd.negate ? TRUE : FALSE);
    return;
  }
  const matches = regexMatches(te, patternExpr(cmd.pattern, pattern), (x) => p.ctx.fresh(x));
  p.filter(cmd.negate ? not(matches) : matches);
}
