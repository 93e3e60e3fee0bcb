import type { Command, FieldName, Pipeline, SearchExpr } from '../spl/ast.js';
import type { SourceDef } from '../sources/sources.js';
import type { PlanContext } from './context.js';
import type { Env } from './env.js';
import type { Expr, OrderTerm, Stage } from './ir.js';
import type { TE } from './typed.js';
import type { LookupTable } from './lookup-table.js';

/**
 * The planning state of one search as the commands see it (src/plan/commands, one module each):
 * the stage being built, the field environment, the row order. `Planner` (planner.ts) implements
 * it; the commands and helpers depend on this interface, so planner.ts and its commands form no
 * import cycle.
 */
export interface PlannerState {
  current: Stage;
  env: Env;
  /** internal values riding along the stages (the row order's keys), out of the commands' reach */
  keys: Env;
  order: { name: string; desc: boolean }[];
  readonly ctx: PlanContext;
  /** the sourcetype the search reads; none for a search that starts with inputlookup */
  readonly source: SourceDef | undefined;
  /** every stage of the query, shared with subsearches */
  readonly stages: Stage[];
  /** A new stage (not yet current) under a fresh alias. */
  addStage(from: Stage['from']): Stage;
  /** adds a condition to the current stage (`search *` adds nothing) */
  filter(e: Expr): void;
  /** A search expression in the current environment; `[subsearch]` terms plan their subsearch. */
  search(expr: SearchExpr): Expr;
  /** Continues in a new stage reading the current one. */
  newStage(): void;
  /** Makes `terms` the row order (expressions of the current stage). */
  setOrder(terms: { te: TE; desc?: boolean }[]): void;
  /** Adds tie-breaking keys to the row order. */
  addOrder(terms: { te: TE; desc?: boolean }[]): void;
  /** The current row order as SQL ORDER BY terms in the current stage. */
  orderTerms(reverse?: boolean): OrderTerm[];
  /** A row-number over the current order. */
  rowNumber(partition?: Expr[], reverse?: boolean): TE;
  /** An internal value computed in the current stage, read as a column of the next one. */
  carry(te: TE): { name: string };
  /** A row number over the current order, built only if a later stage reads it. */
  carryRowNumber(partition?: Expr[]): { name: string };
  /** Replaces the row order by keys of another environment (append's union order). */
  useOrder(keys: Env, order: { name: string; desc: boolean }[]): void;
  /** The lookup a command names (an error naming it when there is none). */
  lookup(name: FieldName): LookupTable;
  /** A planner for a subsearch of this search. */
  subsearch(pipeline: Pipeline): PlannerState;
  internal(name: string): TE;
  /** Plans the next command of the pipeline. */
  apply(cmd: Command): void;
  /** The SPL output fields, in output order, when nothing names them. */
  outputNames(): string[];
}
