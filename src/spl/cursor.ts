import type { Command, Literal, Span, Subsearch } from './ast.js';
import { lexEval, lexSearch, type CommandText, type Token } from './lexer.js';
import { SplError, type SplSource } from './source.js';

/**
 * How deep parentheses, NOT, unary minus, function calls and subsearches may nest. The
 * parser recurses once per level, so input nested thousands deep would overflow the stack;
 * real searches nest a few levels (the ESCU corpus at most 4).
 */
export const MAX_NESTING = 200;

/** The parser's recursion depth in one search, subsearches included. */
export class Nesting {
  private depth = 0;
  enter(at: Span, what: string): void {
    if (++this.depth > MAX_NESTING) throw new SplError(`${what} nest more than ${MAX_NESTING} levels deep`, at);
  }
  leave(): void {
    this.depth--;
  }
}

/**
 * What every command parser and grammar shares while parsing one search: its text, the
 * nesting so far, and the subsearch parser (handed in, so the grammars need not import the
 * pipeline parser that imports them).
 */
export interface ParseContext {
  src: SplSource;
  nesting: Nesting;
  subsearch(t: Token): Subsearch;
}

/** The tokens of one command's arguments (or of an eval text), read front to back. */
export class Cursor {
  private i = 0;
  constructor(
    readonly tokens: Token[],
    readonly ctx: ParseContext,
    readonly command: string,
    readonly endPos: number,
  ) {}
  get src(): SplSource {
    return this.ctx.src;
  }
  get nesting(): Nesting {
    return this.ctx.nesting;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw this.error(`unexpected end of \`${this.command}\``);
    return t;
  }
  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  isWord(value: string, offset = 0, caseSensitive = false): boolean {
    const t = this.peek(offset);
    if (t?.kind !== 'word') return false;
    return caseSensitive ? t.value === value : t.value.toUpperCase() === value.toUpperCase();
  }
  is(kind: Token['kind'], value?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return !!t && t.kind === kind && (value === undefined || t.value === value);
  }
  expect(kind: Token['kind'], value?: string, what?: string): Token {
    const t = this.peek();
    if (!t || t.kind !== kind || (value !== undefined && t.value !== value)) {
      throw this.error(
        `expected ${what ?? value ?? kind}${t ? `, found "${t.value}"` : ''} in \`${this.command}\``,
        t?.span,
      );
    }
    this.i++;
    return t;
  }
  error(message: string, at?: Span): SplError {
    return new SplError(message, at ?? { start: this.endPos, end: this.endPos });
  }
  literal(t: Token): Literal {
    return { text: t.value, quoted: t.kind === 'str', external: this.src.isExternal(t.span), span: t.span };
  }
}

export const searchCursor = (ct: CommandText, ctx: ParseContext): Cursor =>
  new Cursor(lexSearch(ctx.src.text, ct.argsStart, ct.end), ctx, ct.name, ct.end);
export const evalCursor = (ct: CommandText, ctx: ParseContext): Cursor =>
  new Cursor(lexEval(ctx.src.text, ct.argsStart, ct.end), ctx, ct.name, ct.end);

/** A command's span: from its name to the end of its arguments. */
export const commandSpan = (ct: CommandText): Span => ({ start: ct.nameSpan.start, end: ct.end });

/** Parses one command's arguments into its AST node. */
export type AnyCommandParser = (ct: CommandText, ctx: ParseContext) => Command;

/** A parser that yields commands of kind K only. */
export type CommandParser<K extends Command['k']> = (ct: CommandText, ctx: ParseContext) => Extract<Command, { k: K }>;
