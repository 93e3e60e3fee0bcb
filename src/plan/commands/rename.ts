import type { Command, FieldName } from '../../spl/ast.js';
import { OverlayEnv, WildcardRenameEnv } from '../env.js';
import type { PlannerState } from '../planner-state.js';
import { alwaysNull, type TE } from '../typed.js';

/** `rename a as b, ...`: b takes a's value (none where a is missing); wildcards match on both sides. */
export function rename(p: PlannerState, cmd: Extract<Command, { k: 'rename' }>): void {
  for (const { from, to } of cmd.pairs) renameOne(p, from, to);
}

function renameOne(p: PlannerState, from: FieldName, to: FieldName): void {
  const ctx = p.ctx;
  if (from.name.includes('*') || to.name.includes('*')) {
    const a = (from.name.match(/\*/g) ?? []).length;
    const b = (to.name.match(/\*/g) ?? []).length;
    if (a !== b) throw ctx.error(`rename ${from.name} as ${to.name}: wildcards must match on both sides`, to.span);
    p.env = new WildcardRenameEnv(p.env, from.name, to.name);
    return;
  }
  if (from.name === to.name) return;
  ctx.mention(from.name);
  ctx.mention(to.name);
  const te = p.env.resolve(from.name);
  const names = p.env.names();
  // b takes a's value, and is empty where a is missing
  const defs = new Map<string, TE | null>([
    [to.name, te && !alwaysNull(te) ? te : null],
    [from.name, null],
  ]);
  const order = names?.flatMap((n) => (n === from.name ? [to.name] : n === to.name ? [] : [n]));
  p.env = new OverlayEnv(p.env, defs, order && te ? order : order?.filter((n) => n !== to.name));
}
