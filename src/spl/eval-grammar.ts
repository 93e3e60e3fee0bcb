/**
 * The eval grammar: expressions of eval, where and eval() arguments, from OR (loosest)
 * through AND, NOT, comparisons, + - . and * / % to unary signs, calls and literals.
 */
import type { EvalBinOp, EvalExpr } from './ast.js';
import type { Cursor } from './cursor.js';
import type { Token } from './lexer.js';
import { SplError } from './source.js';

/**
 * How deep an eval expression's tree may be. Operator chains (`a OR b OR ...`) are parsed
 * in loops but build trees as deep as they are long, which the planner and the SQL renderer
 * walk recursively. Far above any real expression (an allow-list of hundreds of ORs in a
 * `where` included), well within the stack of both: 1,500 still compiles, 2,000 overflowed.
 */
export const MAX_EXPR_DEPTH = 1000;

/** The depth of every eval node the parser built, to refuse trees deeper than MAX_EXPR_DEPTH. */
const exprDepth = new WeakMap<EvalExpr, number>();

function sized<E extends EvalExpr>(e: E, children: EvalExpr[]): E {
  // a loop, not Math.max(...spread): a call may have more arguments than a spread can pass
  let depth = 1;
  for (const k of children) depth = Math.max(depth, 1 + (exprDepth.get(k) ?? 1));
  if (depth > MAX_EXPR_DEPTH) {
    throw new SplError(
      `the expression is more than ${MAX_EXPR_DEPTH} operations deep; split it into several eval assignments or where commands`,
      e.span,
    );
  }
  exprDepth.set(e, depth);
  return e;
}

const isKw = (c: Cursor, kw: string): boolean => c.isWord(kw);

function bin(op: EvalBinOp, left: EvalExpr, right: EvalExpr): EvalExpr {
  return sized({ k: 'bin', op, left, right, span: { start: left.span.start, end: right.span.end } }, [left, right]);
}

export function parseOr(c: Cursor): EvalExpr {
  let left = parseAnd(c);
  while (isKw(c, 'OR') || isKw(c, 'XOR')) {
    const op = c.next().value.toUpperCase() as EvalBinOp;
    left = bin(op, left, parseAnd(c));
  }
  return left;
}

function parseAnd(c: Cursor): EvalExpr {
  let left = parseNot(c);
  while (isKw(c, 'AND')) {
    c.next();
    left = bin('AND', left, parseNot(c));
  }
  return left;
}

function parseNot(c: Cursor): EvalExpr {
  if (isKw(c, 'NOT') || c.is('op', '!')) {
    const t = c.next();
    const arg = nested(c, t, parseNot);
    return sized({ k: 'not', arg, span: { start: t.span.start, end: arg.span.end } }, [arg]);
  }
  return parseCompare(c);
}

const CMP_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);

function parseCompare(c: Cursor): EvalExpr {
  const left = parseAdditive(c);
  const t = c.peek();
  if (t && t.kind === 'op' && CMP_OPS.has(t.value)) {
    c.next();
    return bin(t.value as EvalBinOp, left, parseAdditive(c));
  }
  if (isKw(c, 'LIKE')) {
    c.next();
    return bin('LIKE', left, parseAdditive(c));
  }
  if (isKw(c, 'IN') && c.is('(', undefined, 1)) {
    c.next();
    c.next();
    const values: EvalExpr[] = [];
    while (!c.is(')')) {
      values.push(nested(c, c.peek() as Token, parseOr));
      if (c.is(',')) c.next();
      else if (!c.is(')')) throw c.error('expected , or ) in IN list', c.peek()?.span);
    }
    const close = c.next();
    return sized({ k: 'in', arg: left, values, span: { start: left.span.start, end: close.span.end } }, [
      left,
      ...values,
    ]);
  }
  return left;
}

/** A left-associative level of binary operators over the next tighter level. */
const binaryLevel =
  (ops: string[], next: (c: Cursor) => EvalExpr) =>
  (c: Cursor): EvalExpr => {
    let left = next(c);
    for (;;) {
      const t = c.peek();
      if (t?.kind !== 'op' || !ops.includes(t.value)) return left;
      c.next();
      left = bin(t.value as EvalBinOp, left, next(c));
    }
  };

const parseMultiplicative = binaryLevel(['*', '/', '%'], (c) => parseUnary(c));
const parseAdditive = binaryLevel(['+', '-', '.'], parseMultiplicative);

function parseUnary(c: Cursor): EvalExpr {
  if (c.is('op', '-')) {
    const t = c.next();
    const arg = nested(c, t, parseUnary);
    return sized({ k: 'neg', arg, span: { start: t.span.start, end: arg.span.end } }, [arg]);
  }
  if (c.is('op', '+')) c.next();
  return parsePrimary(c);
}

function parsePrimary(c: Cursor): EvalExpr {
  const t = c.peek();
  if (!t) throw c.error(`expected an expression in \`${c.command}\``);
  c.next();
  switch (t.kind) {
    case 'num':
      return { k: 'num', value: Number(t.value), text: t.value, span: t.span };
    case 'str':
      return { k: 'str', value: t.value, external: c.src.isExternal(t.span), span: t.span };
    case 'qfield':
      return { k: 'field', name: t.value, quoted: true, span: t.span };
    case '(': {
      const inner = nested(c, t, parseOr);
      c.expect(')', undefined, 'a closing parenthesis');
      return inner;
    }
    case 'word': {
      if (c.is('(')) {
        c.next();
        const args: EvalExpr[] = [];
        while (!c.is(')')) {
          args.push(nested(c, t, parseOr));
          if (c.is(',')) c.next();
          else if (!c.is(')')) throw c.error(`expected , or ) in the arguments of ${t.value}()`, c.peek()?.span);
        }
        const close = c.next();
        return sized(
          { k: 'call', name: t.value.toLowerCase(), args, span: { start: t.span.start, end: close.span.end } },
          args,
        );
      }
      return { k: 'field', name: t.value, quoted: false, span: t.span };
    }
    default:
      throw c.error(`unexpected "${t.value}" in expression`, t.span);
  }
}

/** One level deeper in the parser's recursion, at `t`. */
function nested(c: Cursor, t: Token, parse: (c: Cursor) => EvalExpr): EvalExpr {
  c.nesting.enter(t.span, 'parentheses, NOT, signs and function calls');
  const e = parse(c);
  c.nesting.leave();
  return e;
}

/** A command argument that is one whole expression (where, eval() arguments). */
export function parseWholeEval(c: Cursor): EvalExpr {
  if (c.atEnd()) throw c.error(`\`${c.command}\` needs an expression`);
  const e = parseOr(c);
  if (!c.atEnd()) {
    const t = c.peek() as Token;
    throw c.error(`unexpected "${t.value}" after the expression in \`${c.command}\``, t.span);
  }
  return e;
}
