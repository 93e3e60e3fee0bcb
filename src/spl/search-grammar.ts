/**
 * The search grammar: the base search and `search` command arguments (terms, field
 * comparisons, IN lists, AND/OR/NOT, parentheses and [subsearches]).
 */
import type { CompareOp, Literal, SearchExpr, Span } from './ast.js';
import type { Cursor } from './cursor.js';

/** search: implicit AND of terms; OR binds tighter than AND; NOT binds tightest. */
export function parseSearchExpr(c: Cursor, stopAtParen: boolean): SearchExpr | undefined {
  const items: SearchExpr[] = [];
  while (!c.atEnd() && !(stopAtParen && c.is(')'))) {
    if (c.isWord('AND', 0, true)) {
      c.next();
      continue;
    }
    items.push(parseSearchOr(c));
  }
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return { k: 'and', items, span: joinSpans(items) };
}

function parseSearchOr(c: Cursor): SearchExpr {
  const items = [parseSearchNot(c)];
  while (c.isWord('OR', 0, true)) {
    const orTok = c.next();
    if (c.atEnd() || c.is(')')) throw c.error('OR needs a term on its right', orTok.span);
    items.push(parseSearchNot(c));
  }
  return items.length === 1 ? (items[0] as SearchExpr) : { k: 'or', items, span: joinSpans(items) };
}

function parseSearchNot(c: Cursor): SearchExpr {
  if (c.isWord('NOT', 0, true)) {
    const t = c.next();
    if (c.atEnd() || c.is(')')) throw c.error('NOT needs a term on its right', t.span);
    c.nesting.enter(t.span, 'parentheses and NOT');
    const item = parseSearchNot(c);
    c.nesting.leave();
    return { k: 'not', item, span: { start: t.span.start, end: item.span.end } };
  }
  return parseSearchPrimary(c);
}

function parseSearchPrimary(c: Cursor): SearchExpr {
  const t = c.peek();
  if (!t) throw c.error('expected a search term');
  if (t.kind === '(') {
    c.next();
    c.nesting.enter(t.span, 'parentheses and NOT');
    const inner = parseSearchExpr(c, true);
    c.nesting.leave();
    const close = c.expect(')', undefined, 'a closing parenthesis');
    if (!inner) throw c.error('empty parentheses in search', { start: t.span.start, end: close.span.end });
    return inner;
  }
  if (t.kind === 'word' || t.kind === 'str') {
    c.next();
    const op = c.peek();
    if (op && op.kind === 'op') {
      c.next();
      const v = c.peek();
      if (!v || (v.kind !== 'word' && v.kind !== 'str')) {
        throw c.error(`expected a value after ${t.value}${op.value}`, op.span);
      }
      c.next();
      const cmpOp = (op.value === '==' ? '=' : op.value) as CompareOp;
      return {
        k: 'cmp',
        field: t.value,
        op: cmpOp,
        value: c.literal(v),
        span: { start: t.span.start, end: v.span.end },
      };
    }
    if (c.isWord('IN') && c.is('(', undefined, 1)) {
      c.next();
      c.next();
      const values: Literal[] = [];
      while (!c.is(')')) {
        const v = c.next();
        if (v.kind === ',') continue;
        if (v.kind !== 'word' && v.kind !== 'str') throw c.error(`unexpected "${v.value}" in IN list`, v.span);
        values.push(c.literal(v));
      }
      const close = c.next();
      if (values.length === 0) throw c.error('empty IN list', { start: t.span.start, end: close.span.end });
      return { k: 'in', field: t.value, values, span: { start: t.span.start, end: close.span.end } };
    }
    return { k: 'term', value: c.literal(t), span: t.span };
  }
  if (t.kind === 'sub') {
    c.next();
    return { k: 'subsearch', pipeline: c.ctx.subsearch(t).pipeline, span: t.span };
  }
  throw c.error(`unexpected "${t.value}" in search`, t.span);
}

export function joinSpans(items: { span: Span }[]): Span {
  return { start: (items[0] as { span: Span }).span.start, end: (items[items.length - 1] as { span: Span }).span.end };
}
