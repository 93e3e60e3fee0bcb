/** search [expression]: the base search and the search command. */
import { rejectRest } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';
import { parseSearchExpr } from '../search-grammar.js';

export const parseSearchCommand: CommandParser<'search'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const expr = parseSearchExpr(c, false);
  rejectRest(c);
  return { k: 'search', expr, span: commandSpan(ct), base: ct.base };
};
