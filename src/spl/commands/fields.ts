/** table f ..., and fields [+|-] f ... */
import { fieldList } from '../arguments.js';
import { commandSpan, searchCursor, type CommandParser } from '../cursor.js';

export const parseTable: CommandParser<'table'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  const fields = fieldList(c);
  if (fields.length === 0) throw c.error('`table` needs at least one field');
  return { k: 'table', fields, span: commandSpan(ct) };
};

export const parseFields: CommandParser<'fields'> = (ct, ctx) => {
  const c = searchCursor(ct, ctx);
  let remove = false;
  if (c.is('word', '-') || c.is('word', '+')) remove = c.next().value === '-';
  const fields = fieldList(c);
  if (fields.length === 0) throw c.error('`fields` needs at least one field');
  return { k: 'fields', remove, fields, span: commandSpan(ct) };
};
