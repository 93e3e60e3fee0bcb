import type { PartitionRule, TableBinding } from '../sources/bindings.js';
import { sourceFor, SOURCES, type SourceDef } from '../sources/sources.js';
import type { Command, FieldName, Pipeline, SearchExpr } from '../spl/ast.js';
import { parseEvalText } from '../spl/parser.js';
import { SplSource } from '../spl/source.js';
import type { PlanContext } from './context.js';
import { allocUnique, BoundaryEnv, ClosedEnv, LazyEnv, OverlayEnv, type Env } from './env.js';
import { planCommand } from './commands/index.js';
import { compileEval } from './eval.js';
import { and, bin, type Expr, type OrderTerm, type Plan, type Stage } from './ir.js';
import { compileSearch } from './search.js';
import { subsearchFilter } from './subsearch.js';
import { findLookup, lookupStage } from './lookup-rows.js';
import { NO_LOOKUPS, type LookupCatalog, type LookupTable } from './lookup-table.js';
import { SourceEnv } from './source-env.js';
import { alwaysNull, type TE } from './typed.js';
import type { PlannerState } from './planner-state.js';

/** No fields: the start of the internal key environment. */
const NO_FIELDS: Env = new ClosedEnv('', []);

export interface PlanTarget {
  /** where each sourcetype's table lives for this target */
  binding(sourcetype: string): TableBinding | undefined;
  /** the lookups `lookup` and `inputlookup` may name (none when absent) */
  lookups?: LookupCatalog;
}

/**
 * Turns a parsed pipeline into stages of SQL with Splunk's semantics. Pure: no I/O.
 * The first command must be the base search naming a sourcetype (the `cloudtrail` /
 * `amazon_security_lake` macros expand to `sourcetype=...`).
 */
export function planPipeline(
  pipeline: Pipeline,
  ctx: PlanContext,
  target: PlanTarget,
): Plan & { source: SourceDef | undefined } {
  const p = startPlanner(pipeline, ctx, target, []);
  return { ...p.finish(), source: p.source };
}

/**
 * Plans a pipeline (a detection or a subsearch) into `stages`, which subsearches share with
 * the search they belong to; returns the planner positioned after its last command.
 */
export function startPlanner(pipeline: Pipeline, ctx: PlanContext, target: PlanTarget, stages: Stage[]): Planner {
  const [first, ...rest] = pipeline.commands;
  if (first?.k === 'inputlookup') {
    // `| inputlookup NAME [where ...]`: the lookup's rows, in file order, instead of events
    const table = findLookup(target.lookups ?? NO_LOOKUPS, first.table, ctx);
    const p = new Planner(ctx, undefined, { kind: 'rows', table }, stages, target);
    if (first.where) p.filter(p.search(first.where));
    for (const cmd of rest) p.apply(cmd);
    return p;
  }
  if (first?.k !== 'search' || !first.base) {
    throw ctx.error(
      'a search must start with a base search (e.g. `cloudtrail` ...)',
      first?.span ?? { start: 0, end: 0 },
    );
  }
  const { source, expr } = pickSource(first.expr, ctx, first.span);
  const binding = target.binding(source.sourcetype);
  if (!binding) throw ctx.error(`no table is configured for sourcetype ${source.sourcetype}`, first.span);

  // a table layout may define the sourcetype's fields its own way (Security Lake v1)
  const p = new Planner(ctx, binding.source ?? source, { kind: 'table', binding }, stages, target);
  if (expr) p.filter(p.search(expr));
  for (const cmd of rest) p.apply(cmd);
  return p;
}

/** Finds `sourcetype=X` among the base search's top-level terms and removes it (and `index=`). */
function pickSource(
  expr: SearchExpr | undefined,
  ctx: PlanContext,
  span: { start: number; end: number },
): { source: SourceDef; expr: SearchExpr | undefined } {
  const items = !expr ? [] : expr.k === 'and' ? expr.items : [expr];
  let source: SourceDef | undefined;
  const kept: SearchExpr[] = [];
  for (const item of items) {
    if (item.k === 'cmp' && item.op === '=' && ['sourcetype', 'index', 'source'].includes(item.field)) {
      if (item.field === 'sourcetype') {
        const found = sourceFor(item.value.text);
        if (!found) {
          throw ctx.error(
            `sourcetype ${item.value.text} is not supported (supported: ${SOURCES.map((s) => s.sourcetype).join(', ')})`,
            item.span,
          );
        }
        if (source && source !== found) throw ctx.error('a search over two sourcetypes is not supported', item.span);
        source = found;
      }
      // index= and source= select Splunk storage; hunt reads the configured tables instead
      continue;
    }
    kept.push(item);
  }
  if (!source) {
    throw ctx.error(
      `the base search names no sourcetype (expected sourcetype=${SOURCES.map((s) => s.sourcetype).join(' or ')}, as the source macros such as \`cloudtrail\` give it)`,
      span,
    );
  }
  const rest = kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : { k: 'and' as const, items: kept, span };
  return { source, expr: rest };
}

/**
 * The planning state of one search: the stage being built, the field environment, and the
 * current row order. The commands (src/plan/commands, one module each) work on this state.
 */
export class Planner implements PlannerState {
  current: Stage;
  env: Env;
  /**
   * Internal values that ride along the stages next to the fields, out of the commands' reach:
   * the row order's keys. Splunk's row order is fixed when it is made (events newest first,
   * expanded values in order, stats by its BY fields, sort, ...) and later commands keep it.
   */
  keys: Env = NO_FIELDS;
  order: { name: string; desc: boolean }[] = [];

  constructor(
    readonly ctx: PlanContext,
    /** the sourcetype the search reads; none for a search that starts with inputlookup */
    readonly source: SourceDef | undefined,
    start: { kind: 'table'; binding: TableBinding } | { kind: 'rows'; table: LookupTable },
    /** every stage of the query, shared with subsearches (rendered as CTEs, dependencies first) */
    readonly stages: Stage[],
    readonly target: PlanTarget,
  ) {
    if (start.kind === 'rows' || !source) {
      if (start.kind !== 'rows') throw new Error('a table search needs its source');
      const rows = lookupStage(start.table, (from) => this.addStage(from), ctx.fresh('l'));
      this.current = rows.stage;
      this.env = rows.env;
      // rows come in file order
      this.setOrder([{ te: rows.row }]);
      return;
    }
    const binding = start.binding;
    const tables = binding.tables.map((t) => ({ parts: t.name, where: partitionPredicates(t.partitions, 't') }));
    if (tables.length === 0) throw new Error(`no table is configured for sourcetype ${source.sourcetype}`);
    this.current = this.addStage({ kind: 'table', table: { alias: 't', sourcetype: source.sourcetype, tables } });
    const sourceEnv = new SourceEnv(
      source,
      't',
      (text, env, name) => this.compileDerived(text, env, name),
      (name, why) =>
        ctx.warn(`${name} has no value on ${source.description}: ${why}`, undefined, {
          code: 'no-source-home',
          field: name,
        }),
    );
    this.env = sourceEnv;
    this.current.where.push(...windowPredicates(sourceEnv));
    // events come newest first
    this.setOrder([{ te: sourceEnv.time(), desc: true }]);
  }

  /** An add-on field definition (SPL eval text kept as data in src/sources), compiled in place. */
  private compileDerived(text: string, env: Env, name: string): TE {
    const src = SplSource.plain(text);
    try {
      return compileEval(parseEvalText(src), { env, ctx: this.ctx.forSource(src), internal: true });
    } catch (err) {
      throw new Error(`the field map of ${this.source?.sourcetype} defines ${name} badly: ${(err as Error).message}`);
    }
  }

  /** A new stage (not yet current) under a fresh alias. */
  addStage(from: Stage['from']): Stage {
    const stage = emptyStage(`s${this.stages.length + 1}`, from);
    this.stages.push(stage);
    return stage;
  }

  /** adds a condition to the current stage (`search *` adds nothing) */
  filter(e: Expr): void {
    if (e.k === 'lit' && e.v === true) return;
    this.current.where.push(e);
  }

  /** A search expression in the current environment; `[subsearch]` terms plan their subsearch. */
  search(expr: SearchExpr): Expr {
    return compileSearch(expr, this.env, this.ctx, (pipeline, span) => subsearchFilter(this, pipeline, span));
  }

  /** Continues in a new stage reading the current one (fields and keys cross over as columns). */
  newStage(): void {
    const prev = this.current;
    this.current = this.addStage({ kind: 'stage', stage: prev });
    this.env = new BoundaryEnv(this.env, prev);
    this.keys = new BoundaryEnv(this.keys, prev);
  }

  /** Makes `terms` the row order (expressions of the current stage). */
  setOrder(terms: { te: TE; desc?: boolean }[]): void {
    this.order = [];
    this.keys = NO_FIELDS;
    this.addOrder(terms);
  }

  /** Adds tie-breaking keys to the row order. */
  addOrder(terms: { te: TE; desc?: boolean }[]): void {
    if (terms.length === 0) return;
    const defs = new Map<string, TE>();
    for (const t of terms) {
      const name = `__${this.ctx.fresh('o')}`;
      defs.set(name, t.te);
      this.order.push({ name, desc: t.desc ?? false });
    }
    this.keys = new OverlayEnv(this.keys, defs);
  }

  /** The current row order as SQL ORDER BY terms in the current stage. */
  orderTerms(reverse = false): OrderTerm[] {
    return orderTermsOf(this.keys, this.order, reverse);
  }

  /** A row-number over the current order (head, tail, sort limits, dedup, subsearch order). */
  rowNumber(partition: Expr[] = [], reverse = false): TE {
    return rowNumberOver(orderTermsOf(this.keys, this.order, reverse), partition);
  }

  /** An internal value computed in the current stage, read as a column of the next one. */
  carry(te: TE): { name: string } {
    const name = `__${this.ctx.fresh('k')}`;
    this.keys = new OverlayEnv(this.keys, new Map([[name, te]]));
    return { name };
  }

  /**
   * A row number over the current order, carried like `carry` but built only if a later stage
   * reads it: a window over every row is a sort that a later stats would throw away.
   */
  carryRowNumber(partition: Expr[] = []): { name: string } {
    const name = `__${this.ctx.fresh('k')}`;
    // the order as it is here, in this stage's scope
    const keys = this.keys;
    const order = [...this.order];
    this.keys = new LazyEnv(this.keys, name, () => rowNumberOver(orderTermsOf(keys, order, false), partition));
    return { name };
  }

  /** Replaces the row order by keys of another environment (append's union order). */
  useOrder(keys: Env, order: { name: string; desc: boolean }[]): void {
    this.keys = keys;
    this.order = order;
  }

  /** The lookup a command names (an error naming it when there is none). */
  lookup(name: FieldName): LookupTable {
    return findLookup(this.target.lookups ?? NO_LOOKUPS, name, this.ctx);
  }

  /** A planner for a subsearch of this search: its own pipeline, its stages joining this query's. */
  subsearch(pipeline: Pipeline): PlannerState {
    return startPlanner(pipeline, this.ctx.forSubsearch(), this.target, this.stages);
  }

  internal(name: string): TE {
    const te = this.keys.resolve(name);
    if (!te) throw new Error(`internal value ${name} is lost`);
    return te;
  }

  /** Plans the next command of the pipeline (src/plan/commands, one module per command). */
  apply(cmd: Command): void {
    planCommand(this, cmd);
  }

  /** The SPL output fields, in output order, when nothing names them (no stats or table). */
  outputNames(): string[] {
    return this.env.names() ?? ['_time', ...this.ctx.mentioned.filter((n) => n !== '_time')];
  }

  finish(): Plan {
    const final = this.current;
    const fields: Plan['fields'] = [];
    for (const name of this.outputNames()) {
      const te = this.env.resolve(name);
      if (!te || alwaysNull(te)) continue;
      const column = allocUnique(final, name, te.e);
      fields.push({ name, column, type: te.t });
    }
    final.orderBy.push(...this.orderTerms());
    // the final stage is the query's main SELECT; subsearch stages may have been added after it
    return { stages: [...this.stages.filter((st) => st !== final), final], fields };
  }
}

/** Order keys (internal names resolved in `keys`) as ORDER BY terms. */
function orderTermsOf(keys: Env, order: { name: string; desc: boolean }[], reverse: boolean): OrderTerm[] {
  return order.flatMap((o) => {
    const te = keys.resolve(o.name);
    return te ? [{ e: te.e, desc: reverse ? !o.desc : o.desc }] : [];
  });
}

function rowNumberOver(order: OrderTerm[], partition: Expr[]): TE {
  return {
    e: {
      k: 'win',
      f: 'row_number',
      a: [],
      ...(partition.length ? { partition } : {}),
      ...(order.length ? { order } : {}),
    },
    t: 'int',
  };
}

const emptyStage = (alias: string, from: Stage['from']): Stage => ({
  alias,
  from,
  joins: [],
  unnests: [],
  where: [],
  groupBy: [],
  outputs: new Map(),
  orderBy: [],
});

/**
 * The partition predicates of one table: the days the window touches (earliest inclusive,
 * latest exclusive: the last day is the day of the window's last millisecond), and the
 * configured regions and accounts. Every bound and value is a parameter.
 */
export function partitionPredicates(rules: PartitionRule[], scope: string): Expr[] {
  const out: Expr[] = [];
  for (const rule of rules) {
    if (rule.kind === 'day-range') {
      const cols: Expr[] = rule.columns.map((c) => ({ k: 'col', scope, path: [c] }));
      const joined = cols.slice(1).reduce<Expr>((acc, c) => bin('||', acc, c), cols[0] as Expr);
      out.push(
        and(
          bin('>=', joined, { k: 'param', slot: { kind: 'window', bound: 'earliest', as: { day: rule.format } } }),
          bin('<=', joined, { k: 'param', slot: { kind: 'window', bound: 'latest', as: { day: rule.format } } }),
        ),
      );
    } else if (rule.kind === 'timestamp-range') {
      const col: Expr = { k: 'col', scope, path: [rule.column] };
      out.push(bin('>=', col, { k: 'param', slot: { kind: 'window', bound: 'earliest', as: 'timestamp' } }));
      out.push(bin('<', col, { k: 'param', slot: { kind: 'window', bound: 'latest', as: 'timestamp' } }));
    } else {
      if (rule.values.length === 0) throw new Error(`no ${rule.of} to keep ${rule.column} to`);
      const col: Expr = { k: 'col', scope, path: [rule.column] };
      const values: Expr[] = rule.values.map((value) => ({
        k: 'param',
        slot: { kind: 'value', value, partition: true },
      }));
      out.push(values.length === 1 ? bin('=', col, values[0] as Expr) : { k: 'in', a: col, list: values });
    }
  }
  return out;
}

/** The window on the event time of the first stage; the bounds are parameters. */
function windowPredicates(env: SourceEnv): Expr[] {
  const time = env.timeColumn();
  const unit = env.source.time.kind === 'epoch-ms' ? 'epoch_ms' : 'epoch_s';
  const timeExpr = env.source.time.kind === 'epoch-ms' ? time : env.time().e;
  return [
    bin('>=', timeExpr, { k: 'param', slot: { kind: 'window', bound: 'earliest', as: unit } }),
    bin('<', timeExpr, { k: 'param', slot: { kind: 'window', bound: 'latest', as: unit } }),
  ];
}
