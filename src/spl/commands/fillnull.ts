/** fillnull [value=v] [fields] */
import { fieldList, options } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseFillnull: CommandParser<'fillnull'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['value']);
  const fields = fieldList(c);
  return { k: 'fillnull', value: opts.get('value')?.value ?? '0', fields, span: commandSpan(ct) };
};
