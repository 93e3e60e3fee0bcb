/** convert [timeformat=f] fn(field) [AS name], ... */
import type { FieldName } from '../ast.js';
import { fieldName, options } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseConvert: CommandParser<'convert'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['timeformat']);
  const conversions: { fn: string; field: FieldName; as?: FieldName }[] = [];
  while (!c.atEnd()) {
    const fn = c.next();
    if (fn.kind !== 'word' || !c.is('('))
      throw c.error(`expected a conversion like ctime(field) in \`convert\``, fn.span);
    c.next();
    const field = fieldName(c);
    c.expect(')', undefined, 'a closing parenthesis');
    let as: FieldName | undefined;
    if (c.isWord('as')) {
      c.next();
      as = fieldName(c, 'a name after AS');
    }
    conversions.push({ fn: fn.value.toLowerCase(), field, ...(as ? { as } : {}) });
    if (c.is(',')) c.next();
  }
  if (conversions.length === 0) throw c.error('`convert` needs a conversion such as ctime(field)');
  return {
    k: 'convert',
    timeformat: opts.get('timeformat')?.value ?? '%m/%d/%Y %H:%M:%S',
    conversions,
    span: commandSpan(ct),
  };
};
