import type {
  Command,
  CompareOp,
  EvalBinOp,
  EvalExpr,
  FieldName,
  Literal,
  Pipeline,
  SearchExpr,
  SortKey,
  Span,
  StatsAgg,
  Subsearch,
} from './ast.js';
import { lexEval, lexSearch, splitPipeline, type CommandText, type Token } from './lexer.js';
import { SplError, type SplSource } from './source.js';

/** Parses a macro-expanded search into a pipeline of commands. Unknown commands are errors. */
export function parsePipeline(src: SplSource): Pipeline {
  return parseCommands(src, splitPipeline(src.text), new Nesting());
}

/**
 * How deep parentheses, NOT, unary minus, function calls and subsearches may nest. The
 * parser recurses once per level, so input nested thousands deep would overflow the stack;
 * real searches nest a few levels (the ESCU corpus at most 4).
 */
export const MAX_NESTING = 200;
/**
 * How deep an eval expression's tree may be. Operator chains (`a OR b OR ...`) are parsed
 * in loops but build trees as deep as they are long, which the planner and the SQL renderer
 * walk recursively. Far above any real expression, well within the stack of both.
 */
export const MAX_EXPR_DEPTH = 500;

/** The parser's recursion depth in one search, subsearches included. */
class Nesting {
  private depth = 0;
  enter(at: Span, what: string): void {
    if (++this.depth > MAX_NESTING) throw new SplError(`${what} nest more than ${MAX_NESTING} levels deep`, at);
  }
  leave(): void {
    this.depth--;
  }
}

/** The depth of every eval node the parser built, to refuse trees deeper than MAX_EXPR_DEPTH. */
const exprDepth = new WeakMap<EvalExpr, number>();

function sized<E extends EvalExpr>(e: E, children: EvalExpr[]): E {
  const depth = 1 + Math.max(0, ...children.map((k) => exprDepth.get(k) ?? 1));
  if (depth > MAX_EXPR_DEPTH) {
    throw new SplError(
      `the expression is more than ${MAX_EXPR_DEPTH} operations deep; split it into several eval assignments`,
      e.span,
    );
  }
  exprDepth.set(e, depth);
  return e;
}

/**
 * Commands hunt refuses by name, with the reason. Any other command the parser does not know
 * is refused too (`unsupported command`): nothing is ever skipped.
 */
const REFUSED: Record<string, string> = {
  inputlookup: 'hunt has no lookup tables',
  outputlookup: 'hunt does not write lookup tables',
  lookup: 'hunt has no lookup tables',
  inputcsv: 'hunt reads no CSV files',
  outputcsv: 'hunt writes no CSV files',
  anomalydetection: 'its statistical model is not reproduced',
  collect: 'hunt does not write to indexes',
};

function parseCommands(src: SplSource, texts: CommandText[], nesting: Nesting): Pipeline {
  const commands: Command[] = [];
  for (const ct of texts) {
    const parse = COMMANDS[ct.name];
    if (!parse) {
      const why = REFUSED[ct.name];
      throw new SplError(`unsupported command \`${ct.name}\`${why ? ` (${why})` : ''}`, ct.nameSpan);
    }
    commands.push(parse(ct, src, nesting));
  }
  return { commands };
}

/**
 * A bracketed subsearch: `[search ...]` or `[| search ...]`. Its first command is its base
 * search (the leading `search` keyword is optional, as in Splunk).
 */
function parseSubsearch(t: Token, src: SplSource, nesting: Nesting): Subsearch {
  const start = t.span.start + 1;
  const end = t.span.end - 1;
  const texts = splitPipeline(src.text, start, end);
  const first = texts[0];
  if (!first) throw new SplError('empty subsearch', t.span);
  if (first.base) {
    const m = /^search(?=\s|$)/i.exec(src.text.slice(first.argsStart, first.end));
    if (m) first.argsStart += m[0].length;
  } else if (first.name === 'search') {
    first.base = true;
  } else if (COMMANDS[first.name]) {
    throw new SplError(`a subsearch must start with a search, not \`${first.name}\``, first.nameSpan);
  }
  nesting.enter(t.span, 'subsearches');
  const pipeline = parseCommands(src, texts, nesting);
  nesting.leave();
  return { pipeline, span: t.span };
}

type CommandParser = (ct: CommandText, src: SplSource, nesting: Nesting) => Command;

const span = (ct: CommandText): Span => ({ start: ct.nameSpan.start, end: ct.end });

class Cursor {
  private i = 0;
  constructor(
    readonly tokens: Token[],
    readonly src: SplSource,
    readonly command: string,
    readonly endPos: number,
    readonly nesting: Nesting,
  ) {}
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

const searchCursor = (ct: CommandText, src: SplSource, nesting: Nesting): Cursor =>
  new Cursor(lexSearch(src.text, ct.argsStart, ct.end), src, ct.name, ct.end, nesting);
const evalCursor = (ct: CommandText, src: SplSource, nesting: Nesting): Cursor =>
  new Cursor(lexEval(src.text, ct.argsStart, ct.end), src, ct.name, ct.end, nesting);

// ---------------------------------------------------------------- search expressions

/** search: implicit AND of terms; OR binds tighter than AND; NOT binds tightest. */
function parseSearchExpr(c: Cursor, stopAtParen: boolean): SearchExpr | undefined {
  const items: SearchExpr[] = [];
  while (!c.atEnd() && !(stopAtParen && c.is(')'))) {
    if (c.isWord('AND', 0, true)) {
      c.next();
      continue;
    }
    items.push(parseSearchOr(c));
  }
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return { k: 'and', items, span: joinSpans(items) };
}

function parseSearchOr(c: Cursor): SearchExpr {
  const items = [parseSearchNot(c)];
  while (c.isWord('OR', 0, true)) {
    const orTok = c.next();
    if (c.atEnd() || c.is(')')) throw c.error('OR needs a term on its right', orTok.span);
    items.push(parseSearchNot(c));
  }
  return items.length === 1 ? (items[0] as SearchExpr) : { k: 'or', items, span: joinSpans(items) };
}

function parseSearchNot(c: Cursor): SearchExpr {
  if (c.isWord('NOT', 0, true)) {
    const t = c.next();
    if (c.atEnd() || c.is(')')) throw c.error('NOT needs a term on its right', t.span);
    c.nesting.enter(t.span, 'parentheses and NOT');
    const item = parseSearchNot(c);
    c.nesting.leave();
    return { k: 'not', item, span: { start: t.span.start, end: item.span.end } };
  }
  return parseSearchPrimary(c);
}

function parseSearchPrimary(c: Cursor): SearchExpr {
  const t = c.peek();
  if (!t) throw c.error('expected a search term');
  if (t.kind === '(') {
    c.next();
    c.nesting.enter(t.span, 'parentheses and NOT');
    const inner = parseSearchExpr(c, true);
    c.nesting.leave();
    const close = c.expect(')', undefined, 'a closing parenthesis');
    if (!inner) throw c.error('empty parentheses in search', { start: t.span.start, end: close.span.end });
    return inner;
  }
  if (t.kind === 'word' || t.kind === 'str') {
    c.next();
    const op = c.peek();
    if (op && op.kind === 'op') {
      c.next();
      const v = c.peek();
      if (!v || (v.kind !== 'word' && v.kind !== 'str')) {
        throw c.error(`expected a value after ${t.value}${op.value}`, op.span);
      }
      c.next();
      const cmpOp = (op.value === '==' ? '=' : op.value) as CompareOp;
      return {
        k: 'cmp',
        field: t.value,
        op: cmpOp,
        value: c.literal(v),
        span: { start: t.span.start, end: v.span.end },
      };
    }
    if (c.isWord('IN') && c.is('(', undefined, 1)) {
      c.next();
      c.next();
      const values: Literal[] = [];
      while (!c.is(')')) {
        const v = c.next();
        if (v.kind === ',') continue;
        if (v.kind !== 'word' && v.kind !== 'str') throw c.error(`unexpected "${v.value}" in IN list`, v.span);
        values.push(c.literal(v));
      }
      const close = c.next();
      if (values.length === 0) throw c.error('empty IN list', { start: t.span.start, end: close.span.end });
      return { k: 'in', field: t.value, values, span: { start: t.span.start, end: close.span.end } };
    }
    return { k: 'term', value: c.literal(t), span: t.span };
  }
  if (t.kind === 'sub') {
    c.next();
    return { k: 'subsearch', pipeline: parseSubsearch(t, c.src, c.nesting).pipeline, span: t.span };
  }
  throw c.error(`unexpected "${t.value}" in search`, t.span);
}

function joinSpans(items: { span: Span }[]): Span {
  return { start: (items[0] as { span: Span }).span.start, end: (items[items.length - 1] as { span: Span }).span.end };
}

// ---------------------------------------------------------------- eval expressions

const isKw = (c: Cursor, kw: string): boolean => c.isWord(kw);

/** An eval expression from its own text (the add-on field definitions in src/sources). */
export function parseEvalText(src: SplSource): EvalExpr {
  return parseWholeEval(new Cursor(lexEval(src.text, 0, src.text.length), src, 'eval', src.text.length, new Nesting()));
}

function bin(op: EvalBinOp, left: EvalExpr, right: EvalExpr): EvalExpr {
  return sized({ k: 'bin', op, left, right, span: { start: left.span.start, end: right.span.end } }, [left, right]);
}

function parseOr(c: Cursor): EvalExpr {
  let left = parseAnd(c);
  while (isKw(c, 'OR') || isKw(c, 'XOR')) {
    const op = c.next().value.toUpperCase() as EvalBinOp;
    left = bin(op, left, parseAnd(c));
  }
  return left;
}

function parseAnd(c: Cursor): EvalExpr {
  let left = parseNot(c);
  while (isKw(c, 'AND')) {
    c.next();
    left = bin('AND', left, parseNot(c));
  }
  return left;
}

function parseNot(c: Cursor): EvalExpr {
  if (isKw(c, 'NOT') || c.is('op', '!')) {
    const t = c.next();
    const arg = nested(c, t, parseNot);
    return sized({ k: 'not', arg, span: { start: t.span.start, end: arg.span.end } }, [arg]);
  }
  return parseCompare(c);
}

const CMP_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);

function parseCompare(c: Cursor): EvalExpr {
  const left = parseAdditive(c);
  const t = c.peek();
  if (t && t.kind === 'op' && CMP_OPS.has(t.value)) {
    c.next();
    return bin(t.value as EvalBinOp, left, parseAdditive(c));
  }
  if (isKw(c, 'LIKE')) {
    c.next();
    return bin('LIKE', left, parseAdditive(c));
  }
  if (isKw(c, 'IN') && c.is('(', undefined, 1)) {
    c.next();
    c.next();
    const values: EvalExpr[] = [];
    while (!c.is(')')) {
      values.push(nested(c, c.peek() as Token, parseOr));
      if (c.is(',')) c.next();
      else if (!c.is(')')) throw c.error('expected , or ) in IN list', c.peek()?.span);
    }
    const close = c.next();
    return sized({ k: 'in', arg: left, values, span: { start: left.span.start, end: close.span.end } }, [
      left,
      ...values,
    ]);
  }
  return left;
}

/** A left-associative level of binary operators over the next tighter level. */
const binaryLevel =
  (ops: string[], next: (c: Cursor) => EvalExpr) =>
  (c: Cursor): EvalExpr => {
    let left = next(c);
    for (;;) {
      const t = c.peek();
      if (t?.kind !== 'op' || !ops.includes(t.value)) return left;
      c.next();
      left = bin(t.value as EvalBinOp, left, next(c));
    }
  };

const parseMultiplicative = binaryLevel(['*', '/', '%'], (c) => parseUnary(c));
const parseAdditive = binaryLevel(['+', '-', '.'], parseMultiplicative);

function parseUnary(c: Cursor): EvalExpr {
  if (c.is('op', '-')) {
    const t = c.next();
    const arg = nested(c, t, parseUnary);
    return sized({ k: 'neg', arg, span: { start: t.span.start, end: arg.span.end } }, [arg]);
  }
  if (c.is('op', '+')) c.next();
  return parsePrimary(c);
}

function parsePrimary(c: Cursor): EvalExpr {
  const t = c.peek();
  if (!t) throw c.error(`expected an expression in \`${c.command}\``);
  c.next();
  switch (t.kind) {
    case 'num':
      return { k: 'num', value: Number(t.value), text: t.value, span: t.span };
    case 'str':
      return { k: 'str', value: t.value, external: c.src.isExternal(t.span), span: t.span };
    case 'qfield':
      return { k: 'field', name: t.value, quoted: true, span: t.span };
    case '(': {
      const inner = nested(c, t, parseOr);
      c.expect(')', undefined, 'a closing parenthesis');
      return inner;
    }
    case 'word': {
      if (c.is('(')) {
        c.next();
        const args: EvalExpr[] = [];
        while (!c.is(')')) {
          args.push(nested(c, t, parseOr));
          if (c.is(',')) c.next();
          else if (!c.is(')')) throw c.error(`expected , or ) in the arguments of ${t.value}()`, c.peek()?.span);
        }
        const close = c.next();
        return sized(
          { k: 'call', name: t.value.toLowerCase(), args, span: { start: t.span.start, end: close.span.end } },
          args,
        );
      }
      return { k: 'field', name: t.value, quoted: false, span: t.span };
    }
    default:
      throw c.error(`unexpected "${t.value}" in expression`, t.span);
  }
}

/** One level deeper in the parser's recursion, at `t`. */
function nested(c: Cursor, t: Token, parse: (c: Cursor) => EvalExpr): EvalExpr {
  c.nesting.enter(t.span, 'parentheses, NOT, signs and function calls');
  const e = parse(c);
  c.nesting.leave();
  return e;
}

function parseWholeEval(c: Cursor): EvalExpr {
  if (c.atEnd()) throw c.error(`\`${c.command}\` needs an expression`);
  const e = parseOr(c);
  if (!c.atEnd()) {
    const t = c.peek() as Token;
    throw c.error(`unexpected "${t.value}" after the expression in \`${c.command}\``, t.span);
  }
  return e;
}

// ---------------------------------------------------------------- command arguments

/** A field name in command arguments: a word or a "quoted" name. */
function fieldName(c: Cursor, what = 'a field name'): FieldName {
  const t = c.peek();
  if (!t || (t.kind !== 'word' && t.kind !== 'str')) {
    throw c.error(`expected ${what} in \`${c.command}\`${t ? `, found "${t.value}"` : ''}`, t?.span);
  }
  c.next();
  return { name: t.value, span: t.span };
}

/** Reads leading `key=value` options; returns them and leaves the cursor after them. */
function options(c: Cursor, allowed: string[]): Map<string, { value: string; span: Span }> {
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

function rejectRest(c: Cursor): void {
  if (!c.atEnd()) {
    const t = c.peek() as Token;
    throw c.error(`unexpected "${t.value}" in \`${c.command}\``, t.span);
  }
}

const parseSearchCommand: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const expr = parseSearchExpr(c, false);
  rejectRest(c);
  return { k: 'search', expr, span: span(ct), base: ct.base };
};

const parseWhere: CommandParser = (ct, src, nesting) => ({
  k: 'where',
  expr: parseWholeEval(evalCursor(ct, src, nesting)),
  span: span(ct),
});

const parseEval: CommandParser = (ct, src, nesting) => {
  const c = evalCursor(ct, src, nesting);
  const assignments: { field: FieldName; expr: EvalExpr }[] = [];
  while (!c.atEnd()) {
    const t = c.next();
    if (t.kind !== 'word' && t.kind !== 'qfield' && t.kind !== 'str') {
      throw c.error(`expected a field name to assign in \`eval\`, found "${t.value}"`, t.span);
    }
    // eval lets the target be a dotted name without quotes: a.b=...
    let name = t.value;
    let end = t.span.end;
    while (t.kind === 'word' && c.is('op', '.') && c.is('word', undefined, 1) && c.peek()?.span.start === end) {
      c.next();
      const part = c.next();
      name += `.${part.value}`;
      end = part.span.end;
    }
    c.expect('op', '=', '= after the field name');
    assignments.push({ field: { name, span: { start: t.span.start, end } }, expr: parseOr(c) });
    if (c.is(',')) c.next();
    else if (!c.atEnd()) throw c.error(`expected , between eval assignments`, c.peek()?.span);
  }
  if (assignments.length === 0) throw c.error('`eval` needs at least one assignment');
  return { k: 'eval', assignments, span: span(ct) };
};

const parseStatsLike =
  (name: 'stats' | 'eventstats'): CommandParser =>
  (ct, src, nesting) => {
    const c = searchCursor(ct, src, nesting);
    const aggs: StatsAgg[] = [];
    while (!c.atEnd() && !c.isWord('by')) {
      if (c.is(',')) {
        c.next();
        continue;
      }
      const fnTok = c.next();
      if (fnTok.kind !== 'word')
        throw c.error(`expected an aggregation in \`${name}\`, found "${fnTok.value}"`, fnTok.span);
      const fn = fnTok.value.toLowerCase();
      let field: string | undefined;
      let evalArg: EvalExpr | undefined;
      let end = fnTok.span.end;
      let label = fn;
      if (c.is('(')) {
        const open = c.next();
        // find the matching parenthesis in the raw text so eval(...) arguments keep their own syntax
        let depth = 1;
        let close = open;
        while (depth > 0) {
          close = c.next();
          if (close.kind === '(') depth++;
          else if (close.kind === ')') depth--;
        }
        const inner = src.text.slice(open.span.end, close.span.start).trim();
        label = `${fn}(${inner})`;
        const evalMatch = /^eval\s*\(/i.exec(inner);
        if (evalMatch) {
          const innerStart = src.text.indexOf('(', open.span.end + inner.indexOf(evalMatch[0])) + 1;
          const ec = new Cursor(
            lexEval(src.text, innerStart, close.span.start - 1),
            src,
            name,
            close.span.start,
            nesting,
          );
          evalArg = parseWholeEval(ec);
        } else {
          const q = /^"(.*)"$/.exec(inner);
          field = q ? (q[1] as string) : inner;
          if (!field) throw c.error(`${fn}() needs a field`, { start: fnTok.span.start, end: close.span.end });
        }
        end = close.span.end;
      }
      let as = label;
      if (c.isWord('as')) {
        c.next();
        const a = fieldName(c, 'a name after AS');
        as = a.name;
        end = a.span.end;
      }
      aggs.push({
        fn,
        ...(field !== undefined ? { field } : {}),
        ...(evalArg ? { evalArg } : {}),
        as,
        span: { start: fnTok.span.start, end },
      });
    }
    const by: FieldName[] = [];
    if (c.isWord('by')) {
      c.next();
      while (!c.atEnd()) {
        if (c.is(',')) {
          c.next();
          continue;
        }
        by.push(fieldName(c));
      }
      if (by.length === 0) throw c.error(`\`${name}\` BY needs at least one field`);
    }
    if (aggs.length === 0) throw c.error(`\`${name}\` needs at least one aggregation`);
    return { k: 'stats', aggs, by, span: span(ct), name };
  };

const parseRename: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const pairs: { from: FieldName; to: FieldName }[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    const from = fieldName(c);
    if (!c.isWord('as')) throw c.error(`expected AS after ${from.name} in \`rename\``, c.peek()?.span ?? from.span);
    c.next();
    pairs.push({ from, to: fieldName(c, 'a new name after AS') });
  }
  if (pairs.length === 0) throw c.error('`rename` needs at least one `a AS b`');
  return { k: 'rename', pairs, span: span(ct) };
};

const parseFillnull: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const opts = options(c, ['value']);
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    fields.push(fieldName(c));
  }
  return { k: 'fillnull', value: opts.get('value')?.value ?? '0', fields, span: span(ct) };
};

const parseConvert: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const opts = options(c, ['timeformat']);
  const conversions: { fn: string; field: FieldName; as?: FieldName }[] = [];
  while (!c.atEnd()) {
    const fn = c.next();
    if (fn.kind !== 'word' || !c.is('('))
      throw c.error(`expected a conversion like ctime(field) in \`convert\``, fn.span);
    c.next();
    const field = fieldName(c);
    c.expect(')', undefined, 'a closing parenthesis');
    let as: FieldName | undefined;
    if (c.isWord('as')) {
      c.next();
      as = fieldName(c, 'a name after AS');
    }
    conversions.push({ fn: fn.value.toLowerCase(), field, ...(as ? { as } : {}) });
    if (c.is(',')) c.next();
  }
  if (conversions.length === 0) throw c.error('`convert` needs a conversion such as ctime(field)');
  return {
    k: 'convert',
    timeformat: opts.get('timeformat')?.value ?? '%m/%d/%Y %H:%M:%S',
    conversions,
    span: span(ct),
  };
};

const parseSpath: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
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
    span: span(ct),
  };
};

const parseMvexpand: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const field = fieldName(c);
  const opts = options(c, ['limit']);
  rejectRest(c);
  const limit = opts.get('limit');
  if (limit && !/^\d+$/.test(limit.value)) throw c.error(`limit must be a whole number`, limit.span);
  return { k: 'mvexpand', field, ...(limit ? { limit: Number(limit.value) } : {}), span: span(ct) };
};

const parseTable: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    fields.push(fieldName(c));
  }
  if (fields.length === 0) throw c.error('`table` needs at least one field');
  return { k: 'table', fields, span: span(ct) };
};

const parseFields: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  let remove = false;
  if (c.is('word', '-') || c.is('word', '+')) remove = c.next().value === '-';
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    fields.push(fieldName(c));
  }
  if (fields.length === 0) throw c.error('`fields` needs at least one field');
  return { k: 'fields', remove, fields, span: span(ct) };
};

const parseBin: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  let opts = options(c, ['span']);
  const field = fieldName(c);
  opts = new Map([...opts, ...options(c, ['span'])]);
  let as: FieldName | undefined;
  if (c.isWord('as')) {
    c.next();
    as = fieldName(c, 'a name after AS');
  }
  rejectRest(c);
  const every = opts.get('span');
  if (!every) throw c.error(`\`${ct.name}\` needs span=, e.g. span=5m`, ct.nameSpan);
  return { k: 'bin', field, every: every.value, ...(as ? { as } : {}), span: span(ct) };
};

/** A whole number argument (head 5, max=1). */
function wholeNumber(c: Cursor, t: { value: string; span: Span }, what: string): number {
  if (!/^\d+$/.test(t.value)) throw c.error(`${what} must be a whole number, found "${t.value}"`, t.span);
  return Number(t.value);
}

/** Options hunt does not implement are refused by name unless they have their default value. */
function refuseOption(
  c: Cursor,
  opts: Map<string, { value: string; span: Span }>,
  name: string,
  allowed: string[],
): void {
  const o = opts.get(name);
  if (o && !allowed.includes(o.value.toLowerCase()))
    throw c.error(`\`${c.command}\` ${name}=${o.value} is not supported`, o.span);
}

const parseRegex: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
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
  return { k: 'regex', field, negate, pattern: c.literal(pattern), span: span(ct) };
};

const parseRex: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
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
    span: span(ct),
  };
};

const parseDedup: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const keep = ['keepempty', 'consecutive', 'keepevents'];
  let count = 1;
  if (c.is('word') && /^\d+$/.test(c.peek()?.value ?? '')) count = wholeNumber(c, c.next(), 'the count of `dedup`');
  if (count === 0) throw c.error('`dedup 0` keeps nothing; give a count of at least 1', ct.nameSpan);
  const opts = options(c, keep);
  const fields: FieldName[] = [];
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    if (c.is('word') && c.is('op', '=', 1)) {
      options(c, keep).forEach((v, k) => opts.set(k, v));
      continue;
    }
    if (c.isWord('sortby')) throw c.error('`dedup ... sortby` is not supported', c.peek()?.span);
    fields.push(fieldName(c));
  }
  for (const o of keep) refuseOption(c, opts, o, ['false', 'f', '0']);
  if (fields.length === 0) throw c.error('`dedup` needs at least one field');
  return { k: 'dedup', count, fields, span: span(ct) };
};

/** Splunk's sort keeps at most 10,000 results unless told otherwise (sort 0: all). */
const SORT_DEFAULT_LIMIT = 10000;

const parseSort: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  let limit = SORT_DEFAULT_LIMIT;
  const opts = options(c, ['limit']);
  const lim = opts.get('limit');
  if (lim) limit = wholeNumber(c, lim, 'limit');
  else if (c.is('word') && /^\d+$/.test(c.peek()?.value ?? '')) limit = Number(c.next().value);
  const keys: SortKey[] = [];
  let reverseAll = false;
  while (!c.atEnd()) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    let t = c.next();
    if (t.kind !== 'word' && t.kind !== 'str') throw c.error(`unexpected "${t.value}" in \`sort\``, t.span);
    if (t.kind === 'word' && (t.value === 'd' || t.value === 'desc') && c.atEnd() && keys.length > 0) {
      reverseAll = true;
      break;
    }
    let desc = false;
    let name = t.value;
    let start = t.span.start;
    if (t.kind === 'word' && (name === '-' || name === '+')) {
      desc = name === '-';
      t = c.next();
      name = t.value;
    } else if (t.kind === 'word' && (name.startsWith('-') || name.startsWith('+'))) {
      desc = name.startsWith('-');
      name = name.slice(1);
      start += 1;
    }
    let as: SortKey['as'] = 'auto';
    if (c.is('(')) {
      const fn = name.toLowerCase();
      if (fn === 'ip') throw c.error('`sort ip(...)` is not supported', t.span);
      if (fn !== 'auto' && fn !== 'num' && fn !== 'str')
        throw c.error(`\`sort\` knows auto(), num() and str(), not ${name}()`, t.span);
      as = fn;
      c.next();
      const f = fieldName(c);
      c.expect(')', undefined, 'a closing parenthesis');
      keys.push({ field: f, desc, as });
      continue;
    }
    keys.push({ field: { name, span: { start, end: t.span.end } }, desc, as });
  }
  if (keys.length === 0) throw c.error('`sort` needs at least one field');
  return { k: 'sort', limit, keys: reverseAll ? keys.map((k) => ({ ...k, desc: !k.desc })) : keys, span: span(ct) };
};

const parseHeadTail =
  (k: 'head' | 'tail'): CommandParser =>
  (ct, src, nesting) => {
    const c = searchCursor(ct, src, nesting);
    const opts = options(c, ['limit', 'null', 'keeplast']);
    let count = 10;
    const lim = opts.get('limit');
    if (lim) count = wholeNumber(c, lim, 'limit');
    else if (!c.atEnd()) {
      const t = c.next();
      if (t.kind === '(') throw c.error(`\`${k} (condition)\` is not supported; use a count`, t.span);
      count = wholeNumber(c, t, `the count of \`${k}\``);
    }
    for (const o of ['null', 'keeplast']) {
      const v = opts.get(o);
      if (v) throw c.error(`\`${k}\` ${o}= is not supported`, v.span);
    }
    rejectRest(c);
    return { k, count, span: span(ct) };
  };

/** The trailing [subsearch] of append and join. */
function trailingSubsearch(c: Cursor): Subsearch {
  const t = c.peek();
  if (t?.kind !== 'sub') throw c.error(`\`${c.command}\` needs a subsearch in [brackets]`, t?.span);
  c.next();
  rejectRest(c);
  return parseSubsearch(t, c.src, c.nesting);
}

const parseAppend: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const opts = options(c, ['extendtimerange', 'maxtime', 'maxout', 'timeout']);
  for (const [k, v] of opts) throw c.error(`\`append\` ${k}= is not supported`, v.span);
  return { k: 'append', sub: trailingSubsearch(c), span: span(ct) };
};

const parseJoin: CommandParser = (ct, src, nesting) => {
  const c = searchCursor(ct, src, nesting);
  const known = ['type', 'max', 'overwrite', 'usetime', 'earlier', 'left', 'right', 'where'];
  const opts = options(c, known);
  const fields: FieldName[] = [];
  while (!c.atEnd() && !c.is('sub')) {
    if (c.is(',')) {
      c.next();
      continue;
    }
    if (c.is('word') && c.is('op', '=', 1)) {
      const more = options(c, known);
      if (more.size === 0) throw c.error(`\`join\` option ${c.peek()?.value}= is not supported`, c.peek()?.span);
      more.forEach((v, k) => opts.set(k, v));
      continue;
    }
    fields.push(fieldName(c));
  }
  for (const o of ['usetime', 'earlier', 'left', 'right', 'where']) {
    const v = opts.get(o);
    if (v) throw c.error(`\`join\` ${o}= is not supported`, v.span);
  }
  const type = (opts.get('type')?.value ?? 'inner').toLowerCase();
  if (type !== 'inner' && type !== 'left' && type !== 'outer')
    throw c.error(`\`join\` type=${type} is not supported (inner, left, outer)`, opts.get('type')?.span);
  const max = opts.get('max');
  const overwrite = (opts.get('overwrite')?.value ?? 'true').toLowerCase();
  if (!['true', 'false', 't', 'f', '1', '0'].includes(overwrite))
    throw c.error(`\`join\` overwrite= must be true or false`, opts.get('overwrite')?.span);
  if (fields.length === 0) {
    throw c.error(
      '`join` without field names (joining on every common field) is not supported; name the fields',
      ct.nameSpan,
    );
  }
  return {
    k: 'join',
    // Splunk's outer join is its left join
    type: type === 'inner' ? 'inner' : 'left',
    max: max ? wholeNumber(c, max, 'max') : 1,
    overwrite: ['true', 't', '1'].includes(overwrite),
    fields,
    sub: trailingSubsearch(c),
    span: span(ct),
  };
};

const COMMANDS: Record<string, CommandParser> = {
  search: parseSearchCommand,
  where: parseWhere,
  eval: parseEval,
  stats: parseStatsLike('stats'),
  rename: parseRename,
  fillnull: parseFillnull,
  convert: parseConvert,
  spath: parseSpath,
  mvexpand: parseMvexpand,
  table: parseTable,
  fields: parseFields,
  bin: parseBin,
  bucket: parseBin,
  eventstats: parseStatsLike('eventstats'),
  regex: parseRegex,
  rex: parseRex,
  dedup: parseDedup,
  sort: parseSort,
  head: parseHeadTail('head'),
  tail: parseHeadTail('tail'),
  append: parseAppend,
  join: parseJoin,
};
