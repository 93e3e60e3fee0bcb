import { caseWhen, cast, fn, lit, notNull, type Expr, type ValueType } from './ir.js';

/** An SPL value as an SQL expression with the SPL kind it holds. */
export interface TE {
  e: Expr;
  t: ValueType;
}

export const NULL_TE: TE = { e: lit(null), t: 'null' };

/** Splunk treats text as a number when it reads as one; this is the same test in SQL. */
export const NUMERIC_TEXT = '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$';
const NUMERIC_JS = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export const looksNumeric = (text: string): boolean => NUMERIC_JS.test(text);

export const isNumeric = (t: ValueType): boolean => t === 'num' || t === 'int';

/** The text of a value: numbers printed as Splunk prints them. */
export function toStr(te: TE): Expr {
  switch (te.t) {
    case 'str':
    case 'null':
      return te.e;
    case 'int':
      return cast(te.e, 'varchar');
    case 'num':
      return fn('numToStr', te.e);
    case 'bool':
      return caseWhen([{ when: te.e, then: lit('true') }], lit('false'));
    case 'mv':
      // a multivalue field in a single-value context: its first value
      return fn('elementAt', te.e, lit(1));
  }
}

/** A value as a number, or NULL when its text is not numeric. */
export function toNum(te: TE): Expr {
  switch (te.t) {
    case 'num':
    case 'int':
    case 'null':
      return te.e;
    case 'bool':
      return caseWhen([{ when: te.e, then: lit(1) }], lit(0));
    case 'str':
      return textToNum(te.e);
    case 'mv':
      return textToNum(fn('elementAt', te.e, lit(1)));
  }
}

export function textToNum(e: Expr): Expr {
  if (e.k === 'lit') {
    if (typeof e.v === 'string') return looksNumeric(e.v) ? lit(Number(e.v)) : lit(null);
    return e;
  }
  return caseWhen([{ when: fn('regexLike', e, lit(NUMERIC_TEXT)), then: cast(fn('trim', e), 'double') }]);
}

/** true when the expression is the NULL literal: a field that no source or command defines */
export const alwaysNull = (te: TE): boolean => te.t === 'null' || (te.e.k === 'lit' && te.e.v === null);

export const exists = (te: TE): Expr => notNull(te.e);
