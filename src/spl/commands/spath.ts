/** spath [input=f] [output=f] [path=]p */
import { options, rejectRest } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseSpath: CommandParser<'spath'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['input', 'output', 'path']);
  let path = opts.get('path')?.value;
  if (!c.atEnd()) {
    const t = c.next();
    if (path !== undefined || (t.kind !== 'word' && t.kind !== 'str'))
      throw c.error(`unexpected "${t.value}" in \`spath\``, t.span);
    path = t.value;
    const more = options(c, ['input', 'output']);
    more.forEach((v, k) => opts.set(k, v));
  }
  rejectRest(c);
  const output = opts.get('output')?.value;
  return {
    k: 'spath',
    input: opts.get('input')?.value ?? '_raw',
    ...(output !== undefined ? { output } : {}),
    ...(path !== undefined ? { path } : {}),
    span: commandSpan(ct),
  };
};
