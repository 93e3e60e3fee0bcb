import type { Span } from './ast.js';
import { SplError } from './source.js';

/** `sub`: a whole bracketed subsearch `[...]` in search-like arguments (value: the text inside) */
export type TokenKind = 'word' | 'str' | 'qfield' | 'num' | 'op' | '(' | ')' | ',' | '[' | ']' | 'sub';

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

/**
 * Splits the expanded search (or the part of it between `start` and `end`, a subsearch) at
 * top-level pipes (outside quotes and subsearch brackets).
 */
export function splitPipeline(text: string, from = 0, to = text.length): CommandText[] {
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
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
  parts.push({ start, end: to });
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
        s >= p.end
          ? 'empty command between pipes'
          : `expected a command name after |, found "${text.slice(s, Math.min(p.end, s + 20))}"`,
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

/** The position of the `]` closing the `[` at `open` (quotes and nested brackets skipped). */
export function matchingBracket(text: string, open: number, end = text.length): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '"') i = skipQuoted(text, i, '"');
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new SplError('unterminated subsearch: no ] closes this [', { start: open, end: open + 1 });
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

/**
 * One tokenizer for both argument styles: whitespace, quoted strings and punctuation are the
 * same; what else makes a token (words vs numbers, identifiers and operators) is the mode's.
 */
interface LexMode {
  quotes: Record<string, TokenKind>;
  /** read `[...]` as one subsearch token */
  subsearches?: boolean;
  scan(text: string, i: number, end: number, prev: Token | undefined): Token | undefined;
}

function lex(text: string, start: number, end: number, mode: LexMode): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const quoteKind = mode.quotes[c];
    let t: Token | undefined;
    if (quoteKind) {
      const q = readQuoted(text, i, c);
      t = { kind: quoteKind, value: q.value, span: { start: i, end: q.end } };
    } else if (c === '[' && mode.subsearches) {
      const close = matchingBracket(text, i, end);
      t = { kind: 'sub', value: text.slice(i + 1, close), span: { start: i, end: close + 1 } };
    } else if (c === '(' || c === ')' || c === ',' || c === '[' || c === ']') {
      t = { kind: c, value: c, span: { start: i, end: i + 1 } };
    } else {
      t = mode.scan(text, i, end, tokens[tokens.length - 1]);
    }
    if (!t) throw new SplError(`unexpected character "${c}" in expression`, { start: i, end: i + 1 });
    tokens.push(t);
    i = t.span.end;
  }
  return tokens;
}

const token = (kind: TokenKind, value: string, start: number): Token => ({
  kind,
  value,
  span: { start, end: start + value.length },
});

/** search-like arguments: words run until whitespace, quotes, parentheses, commas or operators */
const SEARCH_MODE: LexMode = {
  quotes: { '"': 'str' },
  subsearches: true,
  scan(text, i, end) {
    const op = SEARCH_OPS.find((o) => text.startsWith(o, i));
    if (op) return token('op', op, i);
    let j = i;
    while (j < end) {
      const d = text[j] as string;
      if (/\s/.test(d) || '()",[]=<>'.includes(d) || (d === '!' && text[j + 1] === '=')) break;
      j++;
    }
    return token('word', text.slice(i, j), i);
  },
};

/** eval expressions (eval, where, and eval() arguments): numbers, identifiers, operators */
const EVAL_MODE: LexMode = {
  quotes: { '"': 'str', "'": 'qfield' },
  scan(text, i, end, prev) {
    const rest = text.slice(i, end);
    // `.5` is a number only where a value may start: after a.".".5 comes the concatenation
    const valueMayStart = !prev || prev.kind === 'op' || prev.kind === '(' || prev.kind === ',' || prev.kind === '[';
    const num = (
      valueMayStart || text[i] !== '.' ? /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/ : /^\d+\.?\d*(?:[eE][+-]?\d+)?/
    ).exec(rest);
    if (num && !/[A-Za-z_]/.test(text[i + num[0].length] ?? '')) return token('num', num[0], i);
    const word = /^[A-Za-z_@$][A-Za-z0-9_@$]*/.exec(rest);
    if (word) return token('word', word[0], i);
    const op = EVAL_OPS.find((o) => text.startsWith(o, i));
    return op ? token('op', op, i) : undefined;
  },
};

export const lexSearch = (text: string, start: number, end: number): Token[] => lex(text, start, end, SEARCH_MODE);
export const lexEval = (text: string, start: number, end: number): Token[] => lex(text, start, end, EVAL_MODE);
