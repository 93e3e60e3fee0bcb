/** stats and eventstats: aggregations, optionally BY fields. */
import type { EvalExpr, FieldName, StatsAgg } from '../ast.js';
import { fieldName } from '../arguments.js';
import { Cursor, commandSpan, searchCursor, type CommandParser } from '../cursor.js';
import { parseWholeEval } from '../eval-grammar.js';
import { lexEval } from '../lexer.js';

export const parseStatsLike =
  (name: 'stats' | 'eventstats'): CommandParser<'stats'> =>
  (ct, ctx) => {
    const c = searchCursor(ct, ctx);
    const aggs: StatsAgg[] = [];
    while (!c.atEnd() && !c.isWord('by')) {
      if (c.is(',')) {
        c.next();
        continue;
      }
      const fnTok = c.next();
      if (fnTok.kind !== 'word')
        throw c.error(`expected an aggregation in \`${name}\`, found "${fnTok.value}"`, fnTok.span);
      const fn = fnTok.value.toLowerCase();
      let field: string | undefined;
      let evalArg: EvalExpr | undefined;
      let end = fnTok.span.end;
      let label = fn;
      if (c.is('(')) {
        const open = c.next();
        // find the matching parenthesis in the raw text so eval(...) arguments keep their own syntax
        let depth = 1;
        let close = open;
        while (depth > 0) {
          close = c.next();
          if (close.kind === '(') depth++;
          else if (close.kind === ')') depth--;
        }
        const inner = ctx.src.text.slice(open.span.end, close.span.start).trim();
        label = `${fn}(${inner})`;
        const evalMatch = /^eval\s*\(/i.exec(inner);
        if (evalMatch) {
          const innerStart = ctx.src.text.indexOf('(', open.span.end + inner.indexOf(evalMatch[0])) + 1;
          const ec = new Cursor(lexEval(ctx.src.text, innerStart, close.span.start - 1), ctx, name, close.span.start);
          evalArg = parseWholeEval(ec);
        } else {
          const q = /^"(.*)"$/.exec(inner);
          field = q ? (q[1] as string) : inner;
          if (!field) throw c.error(`${fn}() needs a field`, { start: fnTok.span.start, end: close.span.end });
        }
        end = close.span.end;
      }
      let as = label;
      if (c.isWord('as')) {
        c.next();
        const a = fieldName(c, 'a name after AS');
        as = a.name;
        end = a.span.end;
      }
      aggs.push({
        fn,
        ...(field !== undefined ? { field } : {}),
        ...(evalArg ? { evalArg } : {}),
        as,
        span: { start: fnTok.span.start, end },
      });
    }
    const by: FieldName[] = [];
    if (c.isWord('by')) {
      c.next();
      while (!c.atEnd()) {
        if (c.is(',')) {
          c.next();
          continue;
        }
        by.push(fieldName(c));
      }
      if (by.length === 0) throw c.error(`\`${name}\` BY needs at least one field`);
    }
    if (aggs.length === 0) throw c.error(`\`${name}\` needs at least one aggregation`);
    return { k: 'stats', aggs, by, span: commandSpan(ct), name };
  };
