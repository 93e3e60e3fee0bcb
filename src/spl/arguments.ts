/** Pieces of command arguments several commands share: field names, options, counts. */
import type { FieldName, Span, Subsearch } from './ast.js';
import type { Cursor } from './cursor.js';
import type { Token } from './lexer.js';

/** A field name in command arguments: a word or a "quoted" name. */
export function fieldName(c: Cursor, what = 'a field name'): FieldName {
  const t = c.peek();
  if (!t || (t.kind !== 'word' && t.kind !== 'str')) {
    throw c.error(`expected ${what} in \`${c.command}\`${t ? `, found "${t.value}"` : ''}`, t?.span);
  }
  c.next();
  return { name: t.value, span: t.span };
}

/** The rest of the arguments as field names, commas between them optional (`table a, b c`). */
export function fieldList(c: Cursor): FieldName[] {
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    fields.push(fieldName(c));
  }
  return fields;
}

/** Reads leading `key=value` options; returns them and leaves the cursor after them. */
export function options(c: Cursor, allowed: string[]): Map<string, { value: string; span: Span }> {
  const out = new Map<string, { value: string; span: Span }>();
  while (c.is('word') && c.is('op', '=', 1)) {
    const key = c.peek() as Token;
    const name = key.value.toLowerCase();
    if (!allowed.includes(name)) break;
    c.next();
    c.next();
    const v = c.next();
    if (v.kind !== 'word' && v.kind !== 'str') throw c.error(`expected a value for ${key.value}=`, v.span);
    out.set(name, { value: v.value, span: v.span });
  }
  return out;
}

export function rejectRest(c: Cursor): void {
  if (!c.atEnd()) {
    const t = c.peek() as Token;
    throw c.error(`unexpected "${t.value}" in \`${c.command}\``, t.span);
  }
}

/** A whole number argument (head 5, max=1). */
export function wholeNumber(c: Cursor, t: { value: string; span: Span }, what: string): number {
  if (!/^\d+$/.test(t.value)) throw c.error(`${what} must be a whole number, found "${t.value}"`, t.span);
  return Number(t.value);
}

/** Options hunt does not implement are refused by name unless they have their default value. */
export function refuseOption(
  c: Cursor,
  opts: Map<string, { value: string; span: Span }>,
  name: string,
  allowed: string[],
): void {
  const o = opts.get(name);
  if (o && !allowed.includes(o.value.toLowerCase()))
    throw c.error(`\`${c.command}\` ${name}=${o.value} is not supported`, o.span);
}

/** The trailing [subsearch] of append and join. */
export function trailingSubsearch(c: Cursor): Subsearch {
  const t = c.peek();
  if (t?.kind !== 'sub') throw c.error(`\`${c.command}\` needs a subsearch in [brackets]`, t?.span);
  c.next();
  rejectRest(c);
  return c.ctx.subsearch(t);
}
