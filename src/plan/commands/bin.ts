import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { fn, lit } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, toNum } from '../typed.js';

/** `bin f span=5m [as g]` (also `bucket`): f floored to the span. */
export function bin(p: PlannerState, cmd: Extract<Command, { k: 'bin' }>): void {
  const { field: f, every, as } = cmd;
  const seconds = spanSeconds(every);
  if (seconds === undefined) throw p.ctx.error(`bin span=${every} is not supported (use s, m, h, d or w)`, f.span);
  p.ctx.mention(f.name);
  const te = p.env.resolve(f.name);
  if (!te || alwaysNull(te)) return;
  const out = as?.name ?? f.name;
  p.env = new OverlayEnv(p.env, new Map([[out, { e: fn('floorTo', toNum(te), lit(seconds)), t: 'num' }]]));
}

function spanSeconds(span: string): number | undefined {
  const m = /^(\d+)(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/.exec(span);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] as string;
  const mult = unit.startsWith('s')
    ? 1
    : unit.startsWith('m')
      ? 60
      : unit.startsWith('h')
        ? 3600
        : unit.startsWith('d')
          ? 86400
          : 604800;
  return n * mult;
}
