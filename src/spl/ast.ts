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
  | { k: 'term'; value: Literal; span: Span };

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
  | { k: 'bin'; field: FieldName; every: string; as?: FieldName; span: Span };

export interface Pipeline {
  commands: Command[];
}
