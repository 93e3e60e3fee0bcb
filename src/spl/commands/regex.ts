/** regex [field=|!=]"re", and rex [field=f] "(?<name>re)" */
import type { FieldName } from '../ast.js';
import { options, rejectRest, wholeNumber } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';
import type { Token } from '../lexer.js';

export const parseRegex: CommandParser<'regex'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const first = c.next();
  let field: FieldName = { name: '_raw', span: ct.nameSpan };
  let negate = false;
  let pattern: Token = first;
  if ((first.kind === 'word' || first.kind === 'str') && c.is('op')) {
    const op = c.next();
    if (op.value !== '=' && op.value !== '!=')
      throw c.error(`\`regex\` takes field="regex" or field!="regex", found ${op.value}`, op.span);
    field = { name: first.value, span: first.span };
    negate = op.value === '!=';
    pattern = c.next();
  }
  if (pattern.kind !== 'str' && pattern.kind !== 'word')
    throw c.error('`regex` needs a regular expression', pattern.span);
  rejectRest(c);
  return { k: 'regex', field, negate, pattern: c.literal(pattern), span: commandSpan(ct) };
};

export const parseRex: CommandParser<'rex'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const allowed = ['field', 'max_match', 'mode', 'offset_field'];
  const opts = options(c, allowed);
  const pattern = c.next();
  if (pattern.kind !== 'str') throw c.error('`rex` needs a quoted regular expression', pattern.span);
  options(c, allowed).forEach((v, k) => opts.set(k, v));
  rejectRest(c);
  const mode = opts.get('mode');
  if (mode) throw c.error(`\`rex\` mode=${mode.value} is not supported (only field extraction)`, mode.span);
  const offset = opts.get('offset_field');
  if (offset) throw c.error('`rex` offset_field= is not supported', offset.span);
  const f = opts.get('field');
  const mm = opts.get('max_match');
  return {
    k: 'rex',
    field: f ? { name: f.value, span: f.span } : { name: '_raw', span: ct.nameSpan },
    pattern: c.literal(pattern),
    maxMatch: mm ? wholeNumber(c, mm, 'max_match') : 1,
    span: commandSpan(ct),
  };
};
