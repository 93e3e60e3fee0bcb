/** bin (bucket) [span=s] field [AS name] */
import type { FieldName } from '../ast.js';
import { fieldName, options, rejectRest } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseBin: CommandParser<'bin'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  let opts = options(c, ['span']);
  const field = fieldName(c);
  opts = new Map([...opts, ...options(c, ['span'])]);
  let as: FieldName | undefined;
  if (c.isWord('as')) {
    c.next();
    as = fieldName(c, 'a name after AS');
  }
  rejectRest(c);
  const every = opts.get('span');
  if (!every) throw c.error(`\`${ct.name}\` needs span=, e.g. span=5m`, ct.nameSpan);
  return { k: 'bin', field, every: every.value, ...(as ? { as } : {}), span: commandSpan(ct) };
};
