/** sort [N|limit=N] [+|-]field ... [d|desc] */
import type { SortKey } from '../ast.js';
import { fieldName, options, wholeNumber } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

/** Splunk's sort keeps at most 10,000 results unless told otherwise (sort 0: all). */
const SORT_DEFAULT_LIMIT = 10000;

export const parseSort: CommandParser<'sort'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  let limit = SORT_DEFAULT_LIMIT;
  const opts = options(c, ['limit']);
  const lim = opts.get('limit');
  if (lim) limit = wholeNumber(c, lim, 'limit');
  else if (c.is('word') && /^\d+$/.test(c.peek()?.value ?? '')) limit = Number(c.next().value);
  const keys: SortKey[] = [];
  let reverseAll = false;
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    let t = c.next();
    if (t.kind !== 'word' && t.kind !== 'str') throw c.error(`unexpected "${t.value}" in \`sort\``, t.span);
    if (t.kind === 'word' && (t.value === 'd' || t.value === 'desc') && c.atEnd() && keys.length > 0) {
      reverseAll = true;
      break;
    }
    let desc = false;
    let name = t.value;
    let start = t.span.start;
    if (t.kind === 'word' && (name === '-' || name === '+')) {
      desc = name === '-';
      t = c.next();
      name = t.value;
    } else if (t.kind === 'word' && (name.startsWith('-') || name.startsWith('+'))) {
      desc = name.startsWith('-');
      name = name.slice(1);
      start += 1;
    }
    let as: SortKey['as'] = 'auto';
    if (c.is('(')) {
      const fn = name.toLowerCase();
      if (fn === 'ip') throw c.error('`sort ip(...)` is not supported', t.span);
      if (fn !== 'auto' && fn !== 'num' && fn !== 'str')
        throw c.error(`\`sort\` knows auto(), num() and str(), not ${name}()`, t.span);
      as = fn;
      c.next();
      const f = fieldName(c);
      c.expect(')', undefined, 'a closing parenthesis');
      keys.push({ field: f, desc, as });
      continue;
    }
    keys.push({ field: { name, span: { start, end: t.span.end } }, desc, as });
  }
  if (keys.length === 0) throw c.error('`sort` needs at least one field');
  return {
    k: 'sort',
    limit,
    keys: reverseAll ? keys.map((k) => ({ ...k, desc: !k.desc })) : keys,
    span: commandSpan(ct),
  };
};
