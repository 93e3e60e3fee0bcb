/** fillnull [value=v] [fields] */
import type { FieldName } from '../ast.js';
import { fieldName, options } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseFillnull: CommandParser<'fillnull'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['value']);
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    fields.push(fieldName(c));
  }
  return { k: 'fillnull', value: opts.get('value')?.value ?? '0', fields, span: commandSpan(ct) };
};
