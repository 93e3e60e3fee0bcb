/** append [subsearch], and join [options] fields [subsearch] */
import type { FieldName } from '../ast.js';
import { fieldName, options, wholeNumber, trailingSubsearch } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseAppend: CommandParser<'append'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['extendtimerange', 'maxtime', 'maxout', 'timeout']);
  for (const [k, v] of opts) throw c.error(`\`append\` ${k}= is not supported`, v.span);
  return { k: 'append', sub: trailingSubsearch(c), span: commandSpan(ct) };
};

export const parseJoin: CommandParser<'join'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const known = ['type', 'max', 'overwrite', 'usetime', 'earlier', 'left', 'right', 'where'];
  const opts = options(c, known);
  const fields: FieldName[] = [];
  while (!c.atEnd() && !c.is('sub')) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    if (c.is('word') && c.is('op', '=', 1)) {
      const more = options(c, known);
      if (more.size === 0) throw c.error(`\`join\` option ${c.peek()?.value}= is not supported`, c.peek()?.span);
      more.forEach((v, k) => opts.set(k, v));
      continue;
    }
    fields.push(fieldName(c));
  }
  for (const o of ['usetime', 'earlier', 'left', 'right', 'where']) {
    const v = opts.get(o);
    if (v) throw c.error(`\`join\` ${o}= is not supported`, v.span);
  }
  const type = (opts.get('type')?.value ?? 'inner').toLowerCase();
  if (type !== 'inner' && type !== 'left' && type !== 'outer')
    throw c.error(`\`join\` type=${type} is not supported (inner, left, outer)`, opts.get('type')?.span);
  const max = opts.get('max');
  const overwrite = (opts.get('overwrite')?.value ?? 'true').toLowerCase();
  if (!['true', 'false', 't', 'f', '1', '0'].includes(overwrite))
    throw c.error(`\`join\` overwrite= must be true or false`, opts.get('overwrite')?.span);
  if (fields.length === 0) {
    throw c.error(
      '`join` without field names (joining on every common field) is not supported; name the fields',
      ct.nameSpan,
    );
  }
  return {
    k: 'join',
    // Splunk's outer join is its left join
    type: type === 'inner' ? 'inner' : 'left',
    max: max ? wholeNumber(c, max, 'max') : 1,
    overwrite: ['true', 't', '1'].includes(overwrite),
    fields,
    sub: trailingSubsearch(c),
    span: commandSpan(ct),
  };
};
