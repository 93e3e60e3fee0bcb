import { children, type Expr, type Stage } from '../plan/ir.js';

/**
 * The columns of one FROM scope a stage reads, as paths (`['actor','user','uid']`), in first
 * use order: what each branch of a multi-table source must select, and nothing more.
 * Subquery stages (EXISTS) are other stages; only their correlation condition belongs here.
 */
export function scopeColumns(stage: Stage, scope: string): string[][] {
  const seen = new Map<string, string[]>();
  const visit = (e: Expr): void => {
    if (e.k === 'col') {
      if (e.scope === scope && !seen.has(flatName(e.path))) seen.set(flatName(e.path), e.path);
      return;
    }
    children(e).forEach(visit);
  };
  for (const e of stage.outputs.values()) visit(e);
  stage.where.forEach(visit);
  stage.groupBy.forEach(visit);
  stage.orderBy.forEach((o) => visit(o.e));
  stage.unnests.forEach((u) => visit(u.array));
  stage.joins.forEach((j) => visit(j.on));
  return [...seen.values()];
}

/**
 * The name a struct path is selected under in a branch. A dot cannot occur in a column name
 * of these tables, so `actor.user.uid` names exactly one path and collides with no column.
 */
export const flatName = (path: string[]): string => path.join('.');
