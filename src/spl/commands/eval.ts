/** where EXPR, and eval a=EXPR, b=EXPR. */
import type { EvalExpr, FieldName } from '../ast.js';
import { commandSpan, evalCursor, type CommandParser } from '../cursor.js';
import { parseOr, parseWholeEval } from '../eval-grammar.js';

export const parseWhere: CommandParser<'where'> = (ct, ctx) => ({
  k: 'where',
  expr: parseWholeEval(evalCursor(ct, ctx)),
  span: commandSpan(ct),
});

export const parseEval: CommandParser<'eval'> = (ct, ctx) => {
  const c = evalCursor(ct, ctx);
  const assignments: { field: FieldName; expr: EvalExpr }[] = [];
  while (!c.atEnd()) {
    const t = c.next();
    if (t.kind !== 'word' && t.kind !== 'qfield' && t.kind !== 'str') {
      throw c.error(`expected a field name to assign in \`eval\`, found "${t.value}"`, t.span);
    }
    // eval lets the target be a dotted name without quotes: a.b=...
    let name = t.value;
    let end = t.span.end;
    while (t.kind === 'word' && c.is('op', '.') && c.is('word', undefined, 1) && c.peek()?.span.start === end) {
      c.next();
      const part = c.next();
      name += `.${part.value}`;
      end = part.span.end;
    }
    c.expect('op', '=', '= after the field name');
    assignments.push({ field: { name, span: { start: t.span.start, end } }, expr: parseOr(c) });
    if (c.is(',')) c.next();
    else if (!c.atEnd()) throw c.error(`expected , between eval assignments`, c.peek()?.span);
  }
  if (assignments.length === 0) throw c.error('`eval` needs at least one assignment');
  return { k: 'eval', assignments, span: commandSpan(ct) };
};
