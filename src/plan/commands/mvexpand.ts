import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { lit, notNull } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, type TE } from '../typed.js';

/** `mvexpand f`: one row per value of f, in the values' order; rows without f are dropped. */
export function mvexpand(p: PlannerState, cmd: Extract<Command, { k: 'mvexpand' }>): void {
  const { field: f, limit } = cmd;
  const ctx = p.ctx;
  if (limit !== undefined) throw ctx.error('mvexpand limit= is not supported yet', f.span);
  ctx.mention(f.name);
  const te = p.env.resolve(f.name);
  if (!te || alwaysNull(te)) {
    ctx.warn(
      `mvexpand ${f.name}: no source field or earlier command defines ${f.name}, so every row is dropped`,
      f.span,
      { code: 'unknown-field', field: f.name },
    );
    p.current.where.push(lit(false));
    return;
  }
  if (te.t !== 'mv') {
    // a single value expands to itself; rows without it are dropped
    p.current.where.push(notNull(te.e));
    return;
  }
  if (p.current.groupBy.length > 0) p.newStage();
  const alias = ctx.fresh('u');
  p.current.unnests.push({ array: te.e, alias, column: 'v', ordinal: 'n' });
  p.env = new OverlayEnv(
    p.env,
    new Map<string, TE>([[f.name, { e: { k: 'col', scope: alias, path: ['v'] }, t: 'str' }]]),
  );
  // each event's values come in their order
  p.addOrder([{ te: { e: { k: 'col', scope: alias, path: ['n'] }, t: 'int' } }]);
}
