/** head [N], tail [N] */
import { options, rejectRest, wholeNumber } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseHeadTail =
  (k: 'head' | 'tail'): CommandParser<'head' | 'tail'> =>
  (ct, ctx) => {
    const c = searchCursor(ct, ctx);
    const opts = options(c, ['limit', 'null', 'keeplast']);
    let count = 10;
    const lim = opts.get('limit');
    if (lim) count = wholeNumber(c, lim, 'limit');
    else if (!c.atEnd()) {
      const t = c.next();
      if (t.kind === '(') throw c.error(`\`${k} (condition)\` is not supported; use a count`, t.span);
      count = wholeNumber(c, t, `the count of \`${k}\``);
    }
    for (const o of ['null', 'keeplast']) {
      const v = opts.get(o);
      if (v) throw c.error(`\`${k}\` ${o}= is not supported`, v.span);
    }
    rejectRest(c);
    return { k, count, span: commandSpan(ct) };
  };
