import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { caseWhen, fn, lit, notNull } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, isNumeric, NUMERIC_TEXT, toStr, type TE } from '../typed.js';

/** `convert [timeformat=f] ctime(x) [as y]`: epoch seconds as time text (only ctime so far). */
export function convert(p: PlannerState, cmd: Extract<Command, { k: 'convert' }>): void {
  const defs = new Map<string, TE | null>();
  for (const c of cmd.conversions) {
    if (c.fn !== 'ctime') throw p.ctx.error(`convert ${c.fn}() is not supported yet (only ctime)`, c.field.span);
    p.ctx.mention(c.field.name);
    const te = p.env.resolve(c.field.name);
    const out = c.as?.name ?? c.field.name;
    if (!te || alwaysNull(te)) continue;
    defs.set(out, ctime(te, cmd.timeformat, p.ctx.zone));
  }
  if (defs.size > 0) p.env = new OverlayEnv(p.env, defs);
}

/** convert ctime(): epoch seconds → text in the given format and zone; non-numbers stay as they are. */
function ctime(te: TE, format: string, zone: string): TE {
  if (isNumeric(te.t)) return { e: fn('formatEpoch', te.e, lit(format), lit(zone)), t: 'str' };
  const text = toStr(te);
  const num = caseWhen([
    { when: fn('regexLike', text, lit(NUMERIC_TEXT)), then: { k: 'cast', a: fn('trim', text), to: 'double' } },
  ]);
  return {
    e: caseWhen([{ when: notNull(num), then: fn('formatEpoch', num, lit(format), lit(zone)) }], text),
    t: 'str',
  };
}
