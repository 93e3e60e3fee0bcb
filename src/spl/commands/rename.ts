/** rename a AS b, ... */
import type { FieldName } from '../ast.js';
import { fieldName } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseRename: CommandParser<'rename'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const pairs: { from: FieldName; to: FieldName }[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    const from = fieldName(c);
    if (!c.isWord('as')) throw c.error(`expected AS after ${from.name} in \`rename\``, c.peek()?.span ?? from.span);
    c.next();
    pairs.push({ from, to: fieldName(c, 'a new name after AS') });
  }
  if (pairs.length === 0) throw c.error('`rename` needs at least one `a AS b`');
  return { k: 'rename', pairs, span: commandSpan(ct) };
};
