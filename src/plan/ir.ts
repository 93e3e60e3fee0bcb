/**
 * The relational plan: a dialect-neutral tree of SQL expressions and query stages. The planner
 * builds it from SPL with Splunk semantics; src/sql renders it per dialect with kysely.
 */

export type SqlType = 'varchar' | 'double' | 'bigint' | 'boolean' | 'varchar[]';

/** Values that are bound at run time rather than written into the SQL text. */
export type ParamSlot =
  /** a window bound: epoch seconds/ms, a timestamp, or a day string in a partition format (luxon) */
  | { kind: 'window'; bound: 'earliest' | 'latest'; as: 'epoch_s' | 'epoch_ms' | 'timestamp' | { day: string } }
  /**
   * a value from user configuration, never spliced into SQL text: a macro override, or (with
   * `partition`) a region/account a source's tables are pruned to
   */
  | { kind: 'value'; value: string | number; partition?: true };

/** Functions each dialect renders from its own table (src/sql/dialects). */
export type FnName =
  | 'lower'
  | 'upper'
  | 'length'
  | 'coalesce'
  | 'regexLike'
  | 'power'
  | 'sqrt'
  /** the natural logarithm */
  | 'ln'
  | 'abs'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'numToStr'
  | 'epochFromIso'
  | 'epochFromTimestamp'
  | 'formatEpoch'
  | 'split'
  | 'elementAt'
  | 'cardinality'
  | 'arrayConcat'
  | 'arrayCompact'
  | 'nullIfEmpty'
  | 'anyMatch'
  | 'arrayTransform'
  | 'arraySortDistinct'
  | 'concatWs'
  | 'substr'
  | 'replaceRegex'
  | 'trim'
  | 'mapGet'
  | 'floorTo'
  /** regexExtract(text, pattern, group): the group of the first match, NULL without a match */
  | 'regexExtract'
  /** regexExtractAll(text, pattern, group): the group of every match, a list */
  | 'regexExtractAll'
  /** arraySlice(list, from (1-based), length) */
  | 'arraySlice'
  /** arrayJoin(list, separator) */
  | 'arrayJoin'
  /** distinct values keeping the first occurrence's position */
  | 'arrayDistinct'
  /** a list of lists → one list */
  | 'arrayFlatten'
  /** arrayZip(a, b, separator): a[i] || separator || b[i], as long as the shorter list */
  | 'arrayZip'
  /** arrayFilter(list, lambda) */
  | 'arrayFilter'
  /** plain (not regex) text replacement: replaceText(text, from, to) */
  | 'replaceText'
  /** parseTime(text, format, zone): epoch seconds, NULL when the text does not fit the format */
  | 'parseTime'
  /** truncTime(epoch seconds, unit, zone): the start of the unit (day, hour, ...) in the zone */
  | 'truncTime'
  /** addTime(epoch seconds, unit, amount, zone): calendar arithmetic in the zone (unit a literal) */
  | 'addTime'
  /** weekday(epoch seconds, zone): 0 = Sunday ... 6 = Saturday */
  | 'weekday'
  | 'least'
  | 'greatest'
  /** a multivalue result column as the engine hands it back intact (Athena: JSON) */
  | 'mvOutput'
  /** toJson(value): a SQL value as JSON (text as a JSON string, a list as an array, JSON as it is) */
  | 'toJson'
  /** jsonParse(text): JSON text as JSON, to embed in an object (NULL stays NULL) */
  | 'jsonParse'
  /** jsonFormat(json): JSON as its compact text */
  | 'jsonFormat';

export type JsonStep = { key: string } | { each: true };

export type Expr =
  /** a column of the current scope (`scope` is a table or CTE alias), with struct field path */
  | { k: 'col'; scope: string; path: string[] }
  | { k: 'lit'; v: string | number | boolean | null }
  /**
   * `via: 'filter'`: read through a WHERE of its own, for an engine that takes parameters only
   * in WHERE (set by a dialect's rewrite before rendering, src/sql/rewrites; never by the planner)
   */
  | { k: 'param'; slot: ParamSlot; via?: 'filter' }
  | { k: 'fn'; f: FnName; a: Expr[] }
  | { k: 'bin'; o: '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '||'; l: Expr; r: Expr }
  | { k: 'and'; a: Expr[] }
  | { k: 'or'; a: Expr[] }
  | { k: 'not'; a: Expr }
  | { k: 'isnull'; a: Expr; negate?: boolean }
  | { k: 'case'; w: { when: Expr; then: Expr }[]; else?: Expr }
  | { k: 'cast'; a: Expr; to: SqlType; try?: boolean }
  /** SQL LIKE with backslash as the escape character */
  | { k: 'like'; a: Expr; p: Expr }
  | { k: 'in'; a: Expr; list: Expr[] }
  /** an aggregate; `order` orders the values array_agg collects */
  | { k: 'agg'; f: AggName; a: Expr[]; distinct?: boolean; filter?: Expr; order?: OrderTerm[] }
  /** an aggregate over the whole result set (OVER ()), or per partition, optionally ordered */
  | { k: 'win'; f: AggName; a: Expr[]; partition?: Expr[]; order?: OrderTerm[] }
  /** a filtering subsearch: some row of `stage` satisfies `where` (correlated with the outer row) */
  | { k: 'exists'; stage: Stage; where: Expr }
  | { k: 'lambda'; v: string; body: Expr }
  | { k: 'var'; name: string }
  /**
   * JSON text navigation. mode 'field': scalar leaves only (Splunk's automatic JSON field
   * extraction); 'spath': a path ending on an object or array gives its compact JSON text.
   * Each `{each}` step walks into array elements and makes the result a list.
   */
  | { k: 'json'; mode: 'field' | 'spath'; a: Expr; path: JsonStep[] }
  /** a JSON object of `keys[i]: values[i]`, each value JSON (toJson, jsonParse, jsonObject); NULL is null */
  | { k: 'jsonObject'; keys: string[]; values: Expr[] }
  | { k: 'array'; items: Expr[] };

export type AggName =
  | 'count'
  | 'count_star'
  | 'min'
  | 'max'
  | 'sum'
  | 'avg'
  | 'stddev_samp'
  | 'var_samp'
  | 'arg_min'
  | 'arg_max'
  | 'array_agg'
  | 'bool_or'
  /** window only: the row's position in the window's order */
  | 'row_number';

export interface OrderTerm {
  e: Expr;
  desc?: boolean;
}

export const lit = (v: string | number | boolean | null): Expr => ({ k: 'lit', v });
export const fn = (f: FnName, ...a: Expr[]): Expr => ({ k: 'fn', f, a });
export const and = (...a: Expr[]): Expr => (a.length === 1 ? (a[0] as Expr) : { k: 'and', a });
export const or = (...a: Expr[]): Expr => (a.length === 1 ? (a[0] as Expr) : { k: 'or', a });
export const not = (a: Expr): Expr => ({ k: 'not', a });
export const isNull = (a: Expr): Expr => ({ k: 'isnull', a });
export const notNull = (a: Expr): Expr => ({ k: 'isnull', a, negate: true });
export const bin = (o: Extract<Expr, { k: 'bin' }>['o'], l: Expr, r: Expr): Expr => ({ k: 'bin', o, l, r });
export const cast = (a: Expr, to: SqlType, tryCast = false): Expr => ({ k: 'cast', a, to, try: tryCast });
export const coalesce = (...a: Expr[]): Expr => (a.length === 1 ? (a[0] as Expr) : fn('coalesce', ...a));
export const caseWhen = (w: { when: Expr; then: Expr }[], otherwise?: Expr): Expr =>
  otherwise === undefined ? { k: 'case', w } : { k: 'case', w, else: otherwise };

export const TRUE = lit(true);
export const FALSE = lit(false);

/**
 * A FROM source of the first stage: the table(s) of the target storage that hold the
 * sourcetype. One table is read as it is, its partition predicates joining the stage's WHERE;
 * several are read as one source, a UNION ALL of a SELECT per table, each carrying its own
 * partition predicates and selecting only the columns the stage reads.
 */
export interface TableRef {
  alias: string;
  /** the sourcetype the tables hold (for reports of what a query reads) */
  sourcetype: string;
  tables: ScanRef[];
}

export interface ScanRef {
  /** catalog/database/table parts, rendered as quoted identifiers */
  parts: string[];
  /** partition predicates over this table's columns (scope: the TableRef's alias) */
  where: Expr[];
}

export interface Unnest {
  array: Expr;
  alias: string;
  column: string;
  /** the 1-based position of each value (WITH ORDINALITY), to keep Splunk's value order */
  ordinal: string;
}

/**
 * One SELECT. Stages chain through CTEs: stage n reads stage n-1. `outputs` is filled while
 * later stages resolve fields, so a stage projects exactly what is used after it.
 */
export interface Stage {
  alias: string;
  from:
    | { kind: 'table'; table: TableRef }
    | { kind: 'stage'; stage: Stage }
    /** UNION ALL of stages with the same columns in the same order (append) */
    | { kind: 'union'; alias: string; stages: Stage[] }
    /** rows written into the query (a lookup table's): `columns` name each row's values */
    | { kind: 'values'; alias: string; lookup: string; columns: string[]; rows: Expr[][] };
  /** stages joined to the FROM source (join's subsearch), each under its own alias */
  joins: Join[];
  unnests: Unnest[];
  where: Expr[];
  groupBy: Expr[];
  /** column name → expression, in output order */
  outputs: Map<string, Expr>;
  orderBy: OrderTerm[];
  limit?: number;
}

export interface Join {
  stage: Stage;
  type: 'inner' | 'left';
  on: Expr;
}

export interface Plan {
  stages: Stage[];
  /** SPL field name → output column of the last stage, in SPL output order */
  fields: { name: string; column: string; type: ValueType }[];
}

/** The SPL value kinds the planner tracks: strings, numbers, booleans, multivalue (lists). */
export type ValueType = 'str' | 'num' | 'int' | 'bool' | 'mv' | 'null';

/** The expressions directly inside `e` (an EXISTS's condition, not its stage). */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case 'col':
    case 'lit':
    case 'param':
    case 'var':
      return [];
    case 'fn':
    case 'and':
    case 'or':
      return e.a;
    case 'agg':
      return [...e.a, ...(e.filter ? [e.filter] : []), ...(e.order ?? []).map((o) => o.e)];
    case 'win':
      return [...e.a, ...(e.partition ?? []), ...(e.order ?? []).map((o) => o.e)];
    case 'bin':
      return [e.l, e.r];
    case 'not':
    case 'isnull':
    case 'cast':
    case 'json':
      return [e.a];
    case 'case':
      return [...e.w.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'like':
      return [e.a, e.p];
    case 'in':
      return [e.a, ...e.list];
    case 'exists':
      return [e.where];
    case 'lambda':
      return [e.body];
    case 'jsonObject':
      return e.values;
    case 'array':
      return e.items;
  }
}

/**
 * `e` rebuilt with each direct child (those `children(e)` lists) replaced by `f(child)`. The
 * one structural map every rewrite builds on, so none of them can forget a node kind's
 * children. An EXISTS keeps its stage (a stage is rewritten on its own, not as an expression).
 */
export function mapChildren<E extends Expr>(e: E, f: (child: Expr) => Expr): E {
  // each case rebuilds a node of its own kind, which TypeScript cannot follow through the switch
  return rebuild(e, f) as E;
}

function rebuild(e: Expr, f: (child: Expr) => Expr): Expr {
  const order = (terms: OrderTerm[] | undefined) => (terms ? { order: terms.map((o) => ({ ...o, e: f(o.e) })) } : {});
  switch (e.k) {
    case 'col':
    case 'lit':
    case 'param':
    case 'var':
      return e;
    case 'fn':
    case 'and':
    case 'or':
      return { ...e, a: e.a.map(f) };
    case 'agg':
      return { ...e, a: e.a.map(f), ...(e.filter ? { filter: f(e.filter) } : {}), ...order(e.order) };
    case 'win':
      return { ...e, a: e.a.map(f), ...(e.partition ? { partition: e.partition.map(f) } : {}), ...order(e.order) };
    case 'bin':
      return { ...e, l: f(e.l), r: f(e.r) };
    case 'not':
    case 'isnull':
    case 'cast':
    case 'json':
      return { ...e, a: f(e.a) };
    case 'case':
      return {
        k: 'case',
        w: e.w.map((w) => ({ when: f(w.when), then: f(w.then) })),
        ...(e.else ? { else: f(e.else) } : {}),
      };
    case 'like':
      return { ...e, a: f(e.a), p: f(e.p) };
    case 'in':
      return { ...e, a: f(e.a), list: e.list.map(f) };
    case 'exists':
      return { ...e, where: f(e.where) };
    case 'lambda':
      return { ...e, body: f(e.body) };
    case 'jsonObject':
      return { ...e, values: e.values.map(f) };
    case 'array':
      return { ...e, items: e.items.map(f) };
  }
}

/**
 * What a rewrite does at one node, asked top-down: a replacement for the node (its subtree is
 * not visited; map the parts it keeps with `rewrite`), or `undefined` to rebuild the node from
 * its rewritten children. A rewrite that must not enter a node's scope (a window function's
 * rows, a subquery, a lambda's element) returns the node itself, and says why.
 */
export type Rewriter = (e: Expr, rewrite: (x: Expr) => Expr) => Expr | undefined;

/** `e` rewritten top-down by `visit` (see Rewriter). */
export function transform(e: Expr, visit: Rewriter): Expr {
  const rewrite = (x: Expr): Expr => visit(x, rewrite) ?? mapChildren(x, rewrite);
  return rewrite(e);
}
