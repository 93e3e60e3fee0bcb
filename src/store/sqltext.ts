/**
 * SQL text kept in files (migrations/, sql/reports/) → slonik queries.
 *
 * Slonik only runs queries built with its `sql` tag, and its pg driver always uses the extended
 * protocol, which allows one statement per query and takes values only as bound parameters.
 * Files therefore need two things: splitting into statements (migrations) and turning the
 * file's `:name` placeholders into slonik bindings (reports). Both need to know what is code
 * and what is a string, identifier, comment or dollar-quoted body, so a `;` or `:name` inside
 * those is left alone — hence the small lexer below instead of a regex.
 *
 * Binding goes through the public `sql.fragment` tag, given a template built from the file's
 * pieces, so values are always sent as parameters, never spliced into the text. (Slonik's own
 * answer for files, `raw()` from slonik-sql-tag-raw, is a separate package not installed here.)
 */
import { sql, type FragmentSqlToken, type PrimitiveValueExpression, type QuerySqlToken } from 'slonik';
import type { ZodTypeAny } from 'zod';

type Segment = { code: true; text: string } | { code: false; text: string };

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL text into code and non-code (strings, quoted identifiers, comments, dollar quotes). */
export function lexSql(text: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  let i = 0;
  const flush = (): void => {
    if (code) out.push({ code: true, text: code });
    code = '';
  };
  const other = (end: number): void => {
    flush();
    out.push({ code: false, text: text.slice(i, end) });
    i = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      other(nl === -1 ? text.length : nl);
    } else if (c === '/' && next === '*') {
      other(blockCommentEnd(text, i));
    } else if (c === "'") {
      // E'…' strings take backslash escapes; the E belongs to the literal only when it is not
      // the tail of an identifier (as in `SELECT some_e'x'` — not valid SQL, but not ours to judge).
      const prev = code[code.length - 1];
      const prev2 = code[code.length - 2];
      const escaped = (prev === 'e' || prev === 'E') && (prev2 === undefined || !IDENT_CHAR.test(prev2));
      other(quotedEnd(text, i, "'", escaped));
    } else if (c === '"') {
      other(quotedEnd(text, i, '"', false));
    } else if (c === '$' && !IDENT_CHAR.test(code[code.length - 1] ?? ' ')) {
      const tag = dollarTag(text, i);
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        if (close === -1) throw new SyntaxError(`unterminated dollar-quoted string ${tag}`);
        other(close + tag.length);
      } else {
        code += c;
        i++;
      }
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return out;
}

function blockCommentEnd(text: string, start: number): number {
  // Postgres block comments nest.
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new SyntaxError('unterminated /* comment');
}

function quotedEnd(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  throw new SyntaxError(`unterminated ${quote === "'" ? 'string' : 'quoted identifier'}`);
}

/** `$tag$` or `$$` at `start`, or undefined (e.g. `$1` is a parameter, not a quote). */
function dollarTag(text: string, start: number): string | undefined {
  let i = start + 1;
  if (text[i] === '$') return '$$';
  if (!IDENT_START.test(text[i] ?? '')) return undefined;
  while (i < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[i]!)) i++;
  return text[i] === '$' ? text.slice(start, i + 1) : undefined;
}

/** The statements of a SQL script, without empty ones (comments alone count as empty). */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let hasCode = false;
  const end = (): void => {
    if (hasCode) statements.push(current.trim());
    current = '';
    hasCode = false;
  };
  for (const seg of lexSql(text)) {
    if (!seg.code) {
      current += seg.text;
      // A string or quoted identifier is content; a comment is not.
      if (!seg.text.startsWith('--') && !seg.text.startsWith('/*')) hasCode = true;
      continue;
    }
    const parts = seg.text.split(';');
    parts.forEach((part, k) => {
      if (k > 0) end();
      current += part;
      if (part.trim()) hasCode = true;
    });
  }
  end();
  return statements;
}

/** `:name` in code, not the second colon of a `::` cast nor a `x:y` inside a word. */
const NAMED = /(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * One statement with `:name` placeholders as a slonik fragment whose values are bound
 * parameters. Every placeholder needs a value and every value a placeholder, so a file and its
 * caller cannot silently drift apart.
 */
export function bindNamed(text: string, params: Readonly<Record<string, PrimitiveValueExpression>>): FragmentSqlToken {
  const parts: string[] = [];
  const bound: PrimitiveValueExpression[] = [];
  const used = new Set<string>();
  let pending = '';
  for (const seg of lexSql(text)) {
    if (!seg.code) {
      pending += seg.text;
      continue;
    }
    let last = 0;
    for (const m of seg.text.matchAll(NAMED)) {
      const name = m[1]!;
      if (!Object.hasOwn(params, name)) throw new RangeError(`no value for :${name}`);
      parts.push(pending + seg.text.slice(last, m.index));
      pending = '';
      bound.push(params[name] as PrimitiveValueExpression);
      used.add(name);
      last = m.index + m[0].length;
    }
    pending += seg.text.slice(last);
  }
  parts.push(pending);
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length)
    throw new RangeError(`values for placeholders the SQL does not have: ${unused.map((k) => `:${k}`).join(', ')}`);
  return sql.fragment(template(parts), ...bound);
}

/** A statement with no parameters (a migration's DDL) as a fragment, taken as written. */
export function statement(text: string): FragmentSqlToken {
  return sql.fragment(template([text]));
}

/** A statement from a file as a query whose rows `parser` describes. */
export function fileQuery<T extends ZodTypeAny>(
  parser: T,
  text: string,
  params: Readonly<Record<string, PrimitiveValueExpression>> = {},
): QuerySqlToken<T> {
  return sql.type(parser)`${bindNamed(text, params)}`;
}

/** What a tagged template receives: the tag checks for a frozen `raw`, as template literals have. */
function template(parts: string[]): TemplateStringsArray {
  return Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) }));
}
