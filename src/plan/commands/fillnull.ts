import type { Command } from '../../spl/ast.js';
import { fillValue, FillnullEnv, OverlayEnv } from '../env.js';
import { lit } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import type { TE } from '../typed.js';

/**
 * `fillnull [value=v] [fields]`: the listed fields get v where they are missing; without a
 * list, only fields that have a value in some result are filled (Splunk's rule).
 */
export function fillnull(p: PlannerState, cmd: Extract<Command, { k: 'fillnull' }>): void {
  const { value, fields } = cmd;
  if (fields.length > 0) {
    const defs = new Map<string, TE | null>();
    for (const f of fields) {
      p.ctx.mention(f.name);
      const te = p.env.resolve(f.name);
      defs.set(f.name, te ? fillValue(te, value) : { e: lit(value), t: 'str' });
    }
    p.env = new OverlayEnv(p.env, defs);
    return;
  }
  // only fields present in some result are filled: a window over this stage's rows,
  // which the next stage reads (so later filters do not change what "some result" means)
  p.env = new FillnullEnv(p.env, value);
  p.newStage();
}
