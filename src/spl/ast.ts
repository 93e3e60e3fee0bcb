/**
 * The SPL pipeline as parsed: pure syntax, no semantics. Positions are offsets into the
 * macro-expanded search text; `SplSource.locate()` maps them back to the detection or macro.
 */
export interface Span {
  start: number;
  end: number;
}

/** A literal value in a search or eval. `external` marks text that came from user configuration. */
export interface Literal {
  text: string;
  quoted: boolean;
  external: boolean;
  span: Span;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SearchExpr =
  | { k: 'and'; items: SearchExpr[]; span: Span }
  | { k: 'or'; items: SearchExpr[]; span: Span }
  | { k: 'not'; item: SearchExpr; span: Span }
  | { k: 'cmp'; field: string; op: CompareOp; value: Literal; span: Span }
  | { k: 'in'; field: string; values: Literal[]; span: Span }
  /** a bare term: full-text match against the event */
  | { k: 'term'; value: Literal; span: Span }
  /** `[search ...]`: the subsearch's rows become an OR of AND(field=value) */
  | { k: 'subsearch'; pipeline: Pipeline; span: Span };

export type EvalExpr =
  | { k: 'num'; value: number; text: string; span: Span }
  | { k: 'str'; value: string; external: boolean; span: Span }
  /** a field reference: a bare word (`quoted` false) or a 'single-quoted' name */
  | { k: 'field'; name: string; quoted: boolean; span: Span }
  | { k: 'call'; name: string; args: EvalExpr[]; span: Span }
  | { k: 'bin'; op: EvalBinOp; left: EvalExpr; right: EvalExpr; span: Span }
  | { k: 'in'; arg: EvalExpr; values: EvalExpr[]; span: Span }
  | { k: 'not'; arg: EvalExpr; span: Span }
  | { k: 'neg'; arg: EvalExpr; span: Span };

export type EvalBinOp =
  | 'OR'
  | 'XOR'
  | 'AND'
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | '+'
  | '-'
  | '.'
  | '*'
  | '/'
  | '%';

export interface StatsAgg {
  fn: string;
  /** the field argument (`min(_time)`), absent for bare `count` */
  field?: string;
  /** `count(eval(...))` style argument */
  evalArg?: EvalExpr;
  as: string;
  span: Span;
}

export interface FieldName {
  name: string;
  span: Span;
}

export type Command =
  | { k: 'search'; expr: SearchExpr | undefined; span: Span; base: boolean }
  | { k: 'where'; expr: EvalExpr; span: Span }
  | { k: 'eval'; assignments: { field: FieldName; expr: EvalExpr }[]; span: Span }
  | { k: 'stats'; aggs: StatsAgg[]; by: FieldName[]; span: Span; name: 'stats' | 'eventstats' }
  | { k: 'rename'; pairs: { from: FieldName; to: FieldName }[]; span: Span }
  | { k: 'fillnull'; value: string; fields: FieldName[]; span: Span }
  | {
      k: 'convert';
      timeformat: string;
      conversions: { fn: string; field: FieldName; as?: FieldName }[];
      span: Span;
    }
  | { k: 'spath'; input: string; output?: string; path?: string; span: Span }
  | { k: 'mvexpand'; field: FieldName; limit?: number; span: Span }
  | { k: 'table'; fields: FieldName[]; span: Span }
  | { k: 'fields'; remove: boolean; fields: FieldName[]; span: Span }
  | { k: 'bin'; field: FieldName; every: string; as?: FieldName; span: Span }
  /** `regex f="re"` keeps events where f matches, `f!="re"` those where it does not */
  | { k: 'regex'; field: FieldName; negate: boolean; pattern: Literal; span: Span }
  /** `rex field=f "(?<name>re)"`: named groups become fields */
  | { k: 'rex'; field: FieldName; pattern: Literal; maxMatch: number; span: Span }
  /** `dedup [N] f ...`: the first N events (default 1) of each combination */
  | { k: 'dedup'; count: number; fields: FieldName[]; span: Span }
  /** `sort [N] [+|-]f ...`; limit 0 means no limit */
  | { k: 'sort'; limit: number; keys: SortKey[]; span: Span }
  | { k: 'head'; count: number; span: Span }
  | { k: 'tail'; count: number; span: Span }
  | { k: 'append'; sub: Subsearch; span: Span }
  /**
   * `anomalydetection` (method=histogram): `annotate` adds the score fields to every event,
   * `filter` keeps the events whose probability is below `pthresh`
   */
  | { k: 'anomalydetection'; action: 'filter' | 'annotate'; pthresh?: number; fields: FieldName[]; span: Span }
  | {
      k: 'lookup';
      table: FieldName;
      /** lookup field → event field */
      inputs: { field: FieldName; as: FieldName }[];
      /** all: every other lookup field (no OUTPUT clause); output overwrites; outputnew fills only absent fields */
      mode: 'all' | 'output' | 'outputnew';
      outputs: { field: FieldName; as: FieldName }[];
      span: Span;
    }
  | { k: 'inputlookup'; table: FieldName; append: boolean; where: SearchExpr | undefined; span: Span }
  | { k: 'outputlookup'; table: FieldName; append: boolean; span: Span }
  | {
      k: 'join';
      type: 'inner' | 'left';
      /** subsearch rows each main row joins at most; 0: all */
      max: number;
      overwrite: boolean;
      fields: FieldName[];
      sub: Subsearch;
      span: Span;
    };

export interface SortKey {
  field: FieldName;
  desc: boolean;
  /** auto: numbers numerically, other text lexicographically; num/str force one */
  as: 'auto' | 'num' | 'str';
}

/** A bracketed subsearch: its own pipeline over the same window. */
export interface Subsearch {
  pipeline: Pipeline;
  span: Span;
}

export interface Pipeline {
  commands: Command[];
}
