/**
 * lookup NAME field [AS evfield] ... [OUTPUT|OUTPUTNEW field [AS evfield], ...],
 * inputlookup [append=t] NAME [where <search>], outputlookup [append=t] NAME.
 */
import type { FieldName, SearchExpr, Span } from '../ast.js';
import { fieldName, options, rejectRest } from '../arguments.js';
import { commandSpan, type Cursor, searchCursor, type CommandParser } from '../cursor.js';
import { parseSearchExpr } from '../search-grammar.js';

const TRUE = ['true', 't', '1'];
const FALSE = ['false', 'f', '0'];

export const parseLookup: CommandParser<'lookup'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const opts = options(c, ['local', 'update', 'event_time_field']);
  for (const [k, v] of opts) throw c.error(`\`lookup\` ${k}= is not supported`, v.span);
  const table = fieldName(c, 'a lookup name');
  const inputs = fieldPairs(c, true);
  if (inputs.length === 0) throw c.error('`lookup` needs at least one field to match on', c.peek()?.span);
  let mode: 'all' | 'output' | 'outputnew' = 'all';
  let outputs: { field: FieldName; as: FieldName }[] = [];
  if (c.isWord('output') || c.isWord('outputnew')) {
    mode = c.next().value.toLowerCase() as 'output' | 'outputnew';
    outputs = fieldPairs(c, false);
    if (outputs.length === 0) throw c.error(`\`lookup\` needs at least one field after ${mode.toUpperCase()}`);
  }
  rejectRest(c);
  return { k: 'lookup', table, inputs, mode, outputs, span: commandSpan(ct) };
};

/** `a [AS b], ...` up to OUTPUT/OUTPUTNEW (when `stopAtOutput`) or the end. */
function fieldPairs(c: Cursor, stopAtOutput: boolean): { field: FieldName; as: FieldName }[] {
  const out: { field: FieldName; as: FieldName }[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    if (stopAtOutput && (c.isWord('output') || c.isWord('outputnew'))) break;
    const field = fieldName(c);
    let as = field;
    if (c.isWord('as')) {
      c.next();
      as = fieldName(c, `a field name after AS`);
    }
    out.push({ field, as });
  }
  return out;
}

export const parseInputlookup: CommandParser<'inputlookup'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const allowed = ['append', 'strict', 'start', 'max'];
  const opts = options(c, allowed);
  const table = fieldName(c, 'a lookup name');
  for (const [k, v] of options(c, allowed)) opts.set(k, v);
  let where: SearchExpr | undefined;
  if (c.isWord('where')) {
    const w = c.next();
    where = parseSearchExpr(c, false);
    if (!where) throw c.error('`inputlookup ... where` needs a search expression', w.span);
  }
  rejectRest(c);
  for (const k of ['strict', 'start', 'max']) {
    const v = opts.get(k);
    if (v) throw c.error(`\`inputlookup\` ${k}= is not supported`, v.span);
  }
  return { k: 'inputlookup', table, append: flag(c, opts.get('append')), where, span: commandSpan(ct) };
};

export const parseOutputlookup: CommandParser<'outputlookup'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const allowed = ['append', 'create_empty', 'override_if_empty', 'max', 'key_field', 'createinapp', 'output_format'];
  const opts = options(c, allowed);
  const table = fieldName(c, 'a lookup name');
  for (const [k, v] of options(c, allowed)) opts.set(k, v);
  rejectRest(c);
  for (const [k, v] of opts) if (k !== 'append') throw c.error(`\`outputlookup\` ${k}= is not supported`, v.span);
  return { k: 'outputlookup', table, append: flag(c, opts.get('append')), span: commandSpan(ct) };
};

function flag(c: Cursor, o: { value: string; span: Span } | undefined): boolean {
  if (!o) return false;
  const v = o.value.toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw c.error(`\`${c.command}\` append= must be true or false, found "${o.value}"`, o.span);
}
