/** dedup [N] field ... */
import type { FieldName } from '../ast.js';
import { fieldName, options, wholeNumber, refuseOption } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseDedup: CommandParser<'dedup'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const keep = ['keepempty', 'consecutive', 'keepevents'];
  let count = 1;
  if (c.is('word') && /^\d+$/.test(c.peek()?.value ?? '')) count = wholeNumber(c, c.next(), 'the count of `dedup`');
  if (count === 0) throw c.error('`dedup 0` keeps nothing; give a count of at least 1', ct.nameSpan);
  const opts = options(c, keep);
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    if (c.is('word') && c.is('op', '=', 1)) {
      options(c, keep).forEach((v, k) => opts.set(k, v));
      continue;
    }
    if (c.isWord('sortby')) throw c.error('`dedup ... sortby` is not supported', c.peek()?.span);
    fields.push(fieldName(c));
  }
  for (const o of keep) refuseOption(c, opts, o, ['false', 'f', '0']);
  if (fields.length === 0) throw c.error('`dedup` needs at least one field');
  return { k: 'dedup', count, fields, span: commandSpan(ct) };
};
