/** The stage graph of a plan: what each stage reads, and an order in which every stage follows what it reads. */
import { children, type Expr, type Stage } from './ir.js';

export class PlanCycleError extends Error {}

/** The stages of the EXISTS subqueries inside `e`. */
export function existsStages(e: Expr): Stage[] {
  const out: Stage[] = [];
  const walk = (x: Expr): void => {
    if (x.k === 'exists') out.push(x.stage);
    children(x).forEach(walk);
  };
  walk(e);
  return out;
}

/** The stages `s` reads: its FROM source(s), its joined stages and its EXISTS subqueries' stages. */
export function stageDependencies(s: Stage): Stage[] {
  const deps: Stage[] = [];
  if (s.from.kind === 'stage') deps.push(s.from.stage);
  if (s.from.kind === 'union') deps.push(...s.from.stages);
  for (const j of s.joins) deps.push(j.stage);
  const exprs: Expr[] = [
    ...s.where,
    ...s.outputs.values(),
    ...s.groupBy,
    ...s.orderBy.map((o) => o.e),
    ...s.unnests.map((u) => u.array),
    ...s.joins.map((j) => j.on),
  ];
  for (const e of exprs) deps.push(...existsStages(e));
  return deps;
}

/**
 * The stages `last` needs and `last` itself, each after the stages it reads (a CTE may only name
 * the CTEs before it; a stage's window key reads its sources').
 */
export function dependenciesFirst(last: Stage): Stage[] {
  const out: Stage[] = [];
  const visiting = new Set<Stage>();
  const visit = (s: Stage): void => {
    if (out.includes(s)) return;
    if (visiting.has(s)) throw new PlanCycleError(`stage ${s.alias} depends on itself`);
    visiting.add(s);
    stageDependencies(s).forEach(visit);
    visiting.delete(s);
    out.push(s);
  };
  visit(last);
  return out;
}
