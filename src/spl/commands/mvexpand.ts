/** mvexpand field [limit=n] */
import { fieldName, options, rejectRest } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseMvexpand: CommandParser<'mvexpand'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const field = fieldName(c);
  const opts = options(c, ['limit']);
  rejectRest(c);
  const limit = opts.get('limit');
  if (limit && !/^\d+$/.test(limit.value)) throw c.error(`limit must be a whole number`, limit.span);
  return { k: 'mvexpand', field, ...(limit ? { limit: Number(limit.value) } : {}), span: commandSpan(ct) };
};
