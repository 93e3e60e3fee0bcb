import type { PartitionRule, TableBinding } from '../sources/bindings.js';
import { sourceFor, SOURCES, type SourceDef } from '../sources/sources.js';
import type { Command, FieldName, Pipeline, SearchExpr, StatsAgg } from '../spl/ast.js';
import { parseEvalText } from '../spl/parser.js';
import { SplSource } from '../spl/source.js';
import type { PlanContext } from './context.js';
import {
  allocColumn,
  BoundaryEnv,
  ClosedEnv,
  fillValue,
  FillnullEnv,
  LazyEnv,
  OverlayEnv,
  SelectEnv,
  SpathAutoEnv,
  sqlName,
  wildcardRegex,
  WildcardRenameEnv,
  type Env,
} from './env.js';
import { compileEval } from './eval.js';
import { and, bin, caseWhen, fn, lit, notNull, type Expr, type OrderTerm, type Plan, type Stage } from './ir.js';
import { aggregate, windowed, WindowOrderError } from './aggregate.js';
import { regexFilter, rex } from './regex.js';
import { dedup, headTail, sort } from './rows.js';
import { compileSearch } from './search.js';
import { append, join, subsearchFilter } from './subsearch.js';
import { parseFieldPath, SourceEnv, toJsonSteps } from './source-env.js';
import { alwaysNull, isNumeric, NUMERIC_TEXT, toNum, toStr, type TE } from './typed.js';

/** No fields: the start of the internal key environment. */
const NO_FIELDS: Env = new ClosedEnv('', []);

export interface PlanTarget {
  /** where each sourcetype's table lives for this target */
  binding(sourcetype: string): TableBinding | undefined;
}

/** Commands hunt plans; anything else is refused by name (never skipped). */
type Planned = Extract<Command, { k: string }>;

/**
 * Turns a parsed pipeline into stages of SQL with Splunk's semantics. Pure: no I/O.
 * The first command must be the base search naming a sourcetype (the `cloudtrail` /
 * `amazon_security_lake` macros expand to `sourcetype=...`).
 */
export function planPipeline(pipeline: Pipeline, ctx: PlanContext, target: PlanTarget): Plan & { source: SourceDef } {
  const p = startPlanner(pipeline, ctx, target, []);
  return { ...p.finish(), source: p.source };
}

/**
 * Plans a pipeline (a detection or a subsearch) into `stages`, which subsearches share with
 * the search they belong to; returns the planner positioned after its last command.
 */
export function startPlanner(pipeline: Pipeline, ctx: PlanContext, target: PlanTarget, stages: Stage[]): Planner {
  const [first, ...rest] = pipeline.commands;
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
  const p = new Planner(ctx, binding.source ?? source, binding, stages, target);
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
      'the base search names no sourcetype (expected the `cloudtrail` or `amazon_security_lake` macro)',
      span,
    );
  }
  const rest = kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : { k: 'and' as const, items: kept, span };
  return { source, expr: rest };
}

/**
 * The planning state of one search: the stage being built, the field environment, and the
 * current row order. Commands live here or, for the larger ones, in their own modules
 * (aggregate, rows, regex, subsearch), which work on this state.
 */
export class Planner {
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
    readonly source: SourceDef,
    binding: TableBinding,
    /** every stage of the query, shared with subsearches (rendered as CTEs, dependencies first) */
    readonly stages: Stage[],
    readonly target: PlanTarget,
  ) {
    const tables = binding.tables.map((t) => ({ parts: t.name, where: partitionPredicates(t.partitions, 't') }));
    if (tables.length === 0) throw new Error(`no table is configured for sourcetype ${source.sourcetype}`);
    this.current = this.addStage({ kind: 'table', table: { alias: 't', sourcetype: source.sourcetype, tables } });
    const sourceEnv = new SourceEnv(source, 't', (text, env, name) => this.compileDerived(text, env, name));
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
      throw new Error(`the field map of ${this.source.sourcetype} defines ${name} badly: ${(err as Error).message}`);
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

  internal(name: string): TE {
    const te = this.keys.resolve(name);
    if (!te) throw new Error(`internal value ${name} is lost`);
    return te;
  }

  apply(cmd: Planned): void {
    const ctx = this.ctx;
    switch (cmd.k) {
      case 'search':
        if (cmd.expr) this.filter(this.search(cmd.expr));
        return;
      case 'where': {
        const te = compileEval(cmd.expr, { env: this.env, ctx });
        if (te.t !== 'bool' && te.t !== 'null') throw ctx.error('`where` needs a condition', cmd.expr.span);
        this.filter(te.t === 'null' ? lit(false) : te.e);
        return;
      }
      case 'eval': {
        for (const a of cmd.assignments) {
          const te = compileEval(a.expr, { env: this.env, ctx });
          if (te.t === 'bool')
            throw ctx.error(`eval cannot store a condition in ${a.field.name}; use if(...)`, a.expr.span);
          ctx.mention(a.field.name);
          this.env = new OverlayEnv(this.env, new Map([[a.field.name, alwaysNull(te) ? null : te]]));
        }
        return;
      }
      case 'rename':
        for (const { from, to } of cmd.pairs) this.rename(from, to);
        return;
      case 'fillnull':
        this.fillnull(cmd.value, cmd.fields);
        return;
      case 'convert':
        this.convert(cmd);
        return;
      case 'spath':
        this.spath(cmd);
        return;
      case 'mvexpand':
        this.mvexpand(cmd.field, cmd.limit);
        return;
      case 'stats':
        if (cmd.name === 'eventstats') this.eventstats(cmd.aggs, cmd.by);
        else this.stats(cmd.aggs, cmd.by);
        return;
      case 'table':
      case 'fields':
        this.select(cmd.k === 'fields' && cmd.remove, cmd.fields);
        return;
      case 'bin':
        this.bin(cmd.field, cmd.every, cmd.as);
        return;
      case 'regex':
        regexFilter(this, cmd);
        return;
      case 'rex':
        rex(this, cmd);
        return;
      case 'dedup':
        dedup(this, cmd);
        return;
      case 'sort':
        sort(this, cmd);
        return;
      case 'head':
      case 'tail':
        headTail(this, cmd.k, cmd.count);
        return;
      case 'append':
        append(this, cmd);
        return;
      case 'join':
        join(this, cmd);
        return;
    }
  }

  private rename(from: FieldName, to: FieldName): void {
    const ctx = this.ctx;
    if (from.name.includes('*') || to.name.includes('*')) {
      const a = (from.name.match(/\*/g) ?? []).length;
      const b = (to.name.match(/\*/g) ?? []).length;
      if (a !== b) throw ctx.error(`rename ${from.name} as ${to.name}: wildcards must match on both sides`, to.span);
      this.env = new WildcardRenameEnv(this.env, from.name, to.name);
      return;
    }
    if (from.name === to.name) return;
    ctx.mention(from.name);
    ctx.mention(to.name);
    const te = this.env.resolve(from.name);
    const names = this.env.names();
    // b takes a's value, and is empty where a is missing
    const defs = new Map<string, TE | null>([
      [to.name, te && !alwaysNull(te) ? te : null],
      [from.name, null],
    ]);
    const order = names?.flatMap((n) => (n === from.name ? [to.name] : n === to.name ? [] : [n]));
    this.env = new OverlayEnv(this.env, defs, order && te ? order : order?.filter((n) => n !== to.name));
  }

  private fillnull(value: string, fields: FieldName[]): void {
    if (fields.length > 0) {
      const defs = new Map<string, TE | null>();
      for (const f of fields) {
        this.ctx.mention(f.name);
        const te = this.env.resolve(f.name);
        defs.set(f.name, te ? fillValue(te, value) : { e: lit(value), t: 'str' });
      }
      this.env = new OverlayEnv(this.env, defs);
      return;
    }
    // only fields present in some result are filled: a window over this stage's rows,
    // which the next stage reads (so later filters do not change what "some result" means)
    this.env = new FillnullEnv(this.env, value);
    this.newStage();
  }

  private convert(cmd: Extract<Command, { k: 'convert' }>): void {
    const defs = new Map<string, TE | null>();
    for (const c of cmd.conversions) {
      if (c.fn !== 'ctime') throw this.ctx.error(`convert ${c.fn}() is not supported yet (only ctime)`, c.field.span);
      this.ctx.mention(c.field.name);
      const te = this.env.resolve(c.field.name);
      const out = c.as?.name ?? c.field.name;
      if (!te || alwaysNull(te)) continue;
      defs.set(out, ctime(te, cmd.timeformat, this.ctx.zone));
    }
    if (defs.size > 0) this.env = new OverlayEnv(this.env, defs);
  }

  private spath(cmd: Extract<Command, { k: 'spath' }>): void {
    const ctx = this.ctx;
    if (cmd.path === undefined) {
      if (cmd.input === '_raw') return; // the source's JSON fields are already fields (KV_MODE=json)
      ctx.mention(cmd.input);
      const input = this.env.resolve(cmd.input);
      if (!input || alwaysNull(input)) {
        ctx.warn(`spath input=${cmd.input}: no source field or earlier command defines ${cmd.input}`, cmd.span, {
          code: 'unknown-field',
          field: cmd.input,
        });
        return;
      }
      const text = toStr(input);
      this.env = new SpathAutoEnv(this.env, (name) => {
        const segs = parseFieldPath(name);
        if (!segs || name.startsWith('_')) return undefined;
        const many = segs.some((s) => s.each);
        return { e: { k: 'json', mode: 'field', a: text, path: toJsonSteps(segs) }, t: many ? 'mv' : 'str' };
      });
      return;
    }
    const segs = parseFieldPath(cmd.path);
    if (!segs) throw ctx.error(`spath path=${cmd.path} is not a path spath understands`, cmd.span);
    const output = cmd.output ?? cmd.path;
    ctx.mention(output);
    let te: TE | undefined;
    if (cmd.input === '_raw') {
      te = this.env.spathRaw(cmd.path);
      if (!te)
        ctx.warn(`spath path=${cmd.path}: the ${this.source.sourcetype} events have no such path`, cmd.span, {
          code: 'unknown-path',
          field: cmd.path,
        });
    } else {
      ctx.mention(cmd.input);
      const input = this.env.resolve(cmd.input);
      if (input && !alwaysNull(input)) {
        te = {
          e: { k: 'json', mode: 'spath', a: toStr(input), path: toJsonSteps(segs) },
          t: segs.some((s) => s.each) ? 'mv' : 'str',
        };
      }
    }
    const before = this.env.resolve(output);
    const value =
      te && before && !alwaysNull(before)
        ? { e: fn('coalesce', te.e, before.e), t: te.t === before.t ? te.t : 'str' }
        : (te ?? before);
    this.env = new OverlayEnv(this.env, new Map([[output, value ?? null]]));
  }

  private mvexpand(f: FieldName, limit: number | undefined): void {
    const ctx = this.ctx;
    if (limit !== undefined) throw ctx.error('mvexpand limit= is not supported yet', f.span);
    ctx.mention(f.name);
    const te = this.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(
        `mvexpand ${f.name}: no source field or earlier command defines ${f.name}, so every row is dropped`,
        f.span,
        { code: 'unknown-field', field: f.name },
      );
      this.current.where.push(lit(false));
      return;
    }
    if (te.t !== 'mv') {
      // a single value expands to itself; rows without it are dropped
      this.current.where.push(notNull(te.e));
      return;
    }
    if (this.current.groupBy.length > 0) this.newStage();
    const alias = ctx.fresh('u');
    this.current.unnests.push({ array: te.e, alias, column: 'v', ordinal: 'n' });
    this.env = new OverlayEnv(
      this.env,
      new Map<string, TE>([[f.name, { e: { k: 'col', scope: alias, path: ['v'] }, t: 'str' }]]),
    );
    // each event's values come in their order
    this.addOrder([{ te: { e: { k: 'col', scope: alias, path: ['n'] }, t: 'int' } }]);
  }

  private stats(aggs: StatsAgg[], by: FieldName[]): void {
    const ctx = this.ctx;
    this.newStage();
    const stage = this.current;
    const fields: { name: string; column: string; t: TE['t'] }[] = [];
    const groups: TE[] = [];
    for (const f of by) {
      ctx.mention(f.name);
      let te = this.env.resolve(f.name);
      if (!te || alwaysNull(te)) {
        ctx.warn(
          `stats BY ${f.name}: no source field or earlier command defines ${f.name}, so every event is dropped and the search returns nothing`,
          f.span,
          { code: 'stats-by-missing', field: f.name },
        );
        stage.where.push(lit(false));
        te = { e: { k: 'cast', a: lit(null), to: 'varchar' }, t: 'str' };
      } else if (te.t === 'mv') {
        // a multivalue BY field groups by each of its values
        const alias = ctx.fresh('u');
        stage.unnests.push({ array: te.e, alias, column: 'v', ordinal: 'n' });
        te = { e: { k: 'col', scope: alias, path: ['v'] }, t: 'str' };
      }
      // events whose BY field is missing are dropped before grouping
      stage.where.push(notNull(te.e));
      stage.groupBy.push(te.e);
      const column = allocColumn(stage, f.name, te.e);
      fields.push({ name: f.name, column, t: te.t });
      groups.push({ e: { k: 'col', scope: stage.alias, path: [column] }, t: te.t });
    }
    const order = (): OrderTerm[] => this.orderTerms();
    for (const a of aggs) {
      const agg = aggregate(a, this.env, ctx, order);
      const column = allocUnique(stage, a.as, agg.e);
      const existing = fields.findIndex((x) => x.name === a.as);
      if (existing >= 0) fields.splice(existing, 1);
      fields.push({ name: a.as, column, t: agg.t });
    }
    // the rest of the pipeline reads the aggregated rows, ordered by the BY fields
    this.current = this.addStage({ kind: 'stage', stage });
    this.env = new ClosedEnv(stage.alias, fields);
    this.setOrder(groups.map((te) => ({ te })));
  }

  /**
   * eventstats: each row gets its group's aggregates (window functions); unlike stats, rows
   * whose BY fields are missing are kept and get no aggregate. A new stage follows, so later
   * filters do not change the groups.
   */
  private eventstats(aggs: StatsAgg[], by: FieldName[]): void {
    const ctx = this.ctx;
    const partition: Expr[] = [];
    for (const f of by) {
      ctx.mention(f.name);
      const te = this.env.resolve(f.name);
      if (!te || alwaysNull(te)) {
        ctx.warn(
          `eventstats BY ${f.name}: no source field or earlier command defines ${f.name}, so no row gets an aggregate`,
          f.span,
          {
            code: 'unknown-field',
            field: f.name,
          },
        );
        partition.push({ k: 'cast', a: lit(null), to: 'varchar' });
        continue;
      }
      if (te.t === 'mv') throw ctx.error(`eventstats BY the multivalue field ${f.name} is not supported`, f.span);
      partition.push(te.e);
    }
    const defs = new Map<string, TE | null>();
    for (const a of aggs) {
      const agg = aggregate(a, this.env, ctx, () => []);
      ctx.mention(a.as);
      try {
        defs.set(a.as, { e: windowed(agg.e, partition), t: agg.t });
      } catch (err) {
        if (err instanceof WindowOrderError) throw ctx.error(err.message, a.span);
        throw err;
      }
    }
    this.env = new OverlayEnv(this.env, defs);
    this.newStage();
  }

  private select(remove: boolean, fields: FieldName[]): void {
    const names = this.env.names();
    const expand = (pattern: string): string[] => {
      if (!pattern.includes('*')) return [pattern];
      if (!names)
        throw this.ctx.error(
          `wildcard ${pattern} needs a known field list (after stats or table)`,
          fields[0]?.span ?? { start: 0, end: 0 },
        );
      const re = wildcardRegex(pattern);
      return names.filter((n) => re.test(n));
    };
    const listed = fields.flatMap((f) => expand(f.name));
    listed.forEach((n) => this.ctx.mention(n));
    if (remove) {
      this.env = new OverlayEnv(this.env, new Map(listed.map((n) => [n, null])));
      return;
    }
    this.env = new SelectEnv(this.env, [...new Set(listed)]);
  }

  private bin(f: FieldName, every: string, as: FieldName | undefined): void {
    const seconds = spanSeconds(every);
    if (seconds === undefined) throw this.ctx.error(`bin span=${every} is not supported (use s, m, h, d or w)`, f.span);
    this.ctx.mention(f.name);
    const te = this.env.resolve(f.name);
    if (!te || alwaysNull(te)) return;
    const out = as?.name ?? f.name;
    this.env = new OverlayEnv(this.env, new Map([[out, { e: fn('floorTo', toNum(te), lit(seconds)), t: 'num' }]]));
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

/** A fresh output column even when another field has the same expression. */
export function allocUnique(stage: Stage, name: string, e: Expr): string {
  const base = sqlName(name);
  let col = base;
  for (let n = 2; stage.outputs.has(col); n++) col = `${base}_${n}`;
  stage.outputs.set(col, e);
  return col;
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
