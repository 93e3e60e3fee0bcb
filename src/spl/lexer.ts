import type { Span } from './ast.js';
import { SplError } from './source.js';

export type TokenKind = 'word' | 'str' | 'qfield' | 'num' | 'op' | '(' | ')' | ',' | '[' | ']';

export interface Token {
  kind: TokenKind;
  /** the token's value: unquoted/unescaped for strings and quoted fields */
  value: string;
  span: Span;
}

/** One command of the pipeline: its name and the text range of its arguments. */
export interface CommandText {
  name: string;
  nameSpan: Span;
  argsStart: number;
  end: number;
  /** true for the implicit search before the first `|` */
  base: boolean;
}

const SEARCH_OPS = ['!=', '<=', '>=', '==', '=', '<', '>'];
const EVAL_OPS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '.', '!'];

/** Splits the expanded search at top-level pipes (outside quotes and subsearch brackets). */
export function splitPipeline(text: string): CommandText[] {
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = skipQuoted(text, i, '"');
    } else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) {
      parts.push({ start, end: i });
      start = i + 1;
    }
  }
  parts.push({ start, end: text.length });
  const commands: CommandText[] = [];
  parts.forEach((p, n) => {
    const body = text.slice(p.start, p.end);
    const lead = body.length - body.trimStart().length;
    const s = p.start + lead;
    if (n === 0) {
      // the base search: an implicit `search`, unless the search starts with `|` (a generating command)
      if (s >= p.end) return;
      commands.push({ name: 'search', nameSpan: { start: s, end: s }, argsStart: s, end: p.end, base: true });
      return;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(s, p.end));
    if (!m) {
      throw new SplError(
        s >= p.end ? 'empty command between pipes' : `expected a command name after |, found "${text.slice(s, Math.min(p.end, s + 20))}"`,
        { start: s, end: Math.max(s + 1, Math.min(p.end, s + 1)) },
      );
    }
    commands.push({
      name: m[0].toLowerCase(),
      nameSpan: { start: s, end: s + m[0].length },
      argsStart: s + m[0].length,
      end: p.end,
      base: false,
    });
  });
  return commands;
}

function skipQuoted(text: string, i: number, q: string): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === q) return j;
  }
  throw new SplError(`unterminated quoted string`, { start: i, end: text.length });
}

function readQuoted(text: string, i: number, q: string): { value: string; end: number } {
  const close = skipQuoted(text, i, q);
  const raw = text.slice(i + 1, close);
  // Splunk unescapes \" and \\ inside quoted strings; other backslashes stay (regexes need them)
  return { value: raw.replace(/\\(["\\'])/g, '$1'), end: close + 1 };
}

/** Tokens for search-like arguments: words run until whitespace, quotes, parentheses, commas or operators. */
export function lexSearch(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const q = readQuoted(text, i, '"');
      tokens.push({ kind: 'str', value: q.value, span: { start: i, end: q.end } });
      i = q.end;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '[' || c === ']') {
      tokens.push({ kind: c, value: c, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    const op = SEARCH_OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, span: { start: i, end: i + op.length } });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < end) {
      const d = text[j] as string;
      if (/\s/.test(d) || '()",[]=<>'.includes(d) || (d === '!' && text[j + 1] === '=')) break;
      j++;
    }
    tokens.push({ kind: 'word', value: text.slice(i, j), span: { start: i, end: j } });
    i = j;
  }
  return tokens;
}

/** Tokens for eval expressions (eval, where, and eval() arguments). */
export function lexEval(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const q = readQuoted(text, i, c);
      tokens.push({ kind: c === '"' ? 'str' : 'qfield', value: q.value, span: { start: i, end: q.end } });
      i = q.end;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '[' || c === ']') {
      tokens.push({ kind: c, value: c, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    // `.5` is a number only where a value may start: after a.".".5 comes the concatenation
    const prev = tokens[tokens.length - 1];
    const valueMayStart = !prev || prev.kind === 'op' || prev.kind === '(' || prev.kind === ',' || prev.kind === '[';
    const num = (valueMayStart || c !== '.' ? /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/ : /^\d+\.?\d*(?:[eE][+-]?\d+)?/).exec(text.slice(i, end));
    if (num && !/[A-Za-z_]/.test(text[i + num[0].length] ?? '')) {
      tokens.push({ kind: 'num', value: num[0], span: { start: i, end: i + num[0].length } });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_@$][A-Za-z0-9_@$]*/.exec(text.slice(i, end));
    if (word) {
      tokens.push({ kind: 'word', value: word[0], span: { start: i, end: i + word[0].length } });
      i += word[0].length;
      continue;
    }
    const op = EVAL_OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, span: { start: i, end: i + op.length } });
      i += op.length;
      continue;
    }
    throw new SplError(`unexpected character "${c}" in expression`, { start: i, end: i + 1 });
  }
  return tokens;
}
