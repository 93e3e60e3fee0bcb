import type { Span } from './ast.js';
import { SplError, SplSource, type Origin, type OriginSpan } from './source.js';

export interface MacroDef {
  name: string;
  args: string[];
  definition: string;
  /** file or config the definition came from, for messages */
  definedIn: string;
  /** true for definitions from user configuration: their literals travel as SQL parameters */
  external: boolean;
}

export interface MacroTable {
  lookup(name: string, argc: number): MacroDef | undefined;
  /** every definition of `name`, whatever its number of arguments: for the message when a call's count matches none */
  definitions?(name: string): MacroDef[];
}

/** Macros calling macros: deeper than any real search nests (no ESCU corpus macro calls another). */
const MAX_DEPTH = 20;
/**
 * Bounds on one search's expansion, so that macros calling each other several times (20
 * macros each calling the next twice make 2^20 calls) fail at once instead of running for
 * minutes in gigabytes. The largest expansion in the ESCU corpus is about 1,300 characters
 * from 5 macro calls; these allow about 800 times that, and more than Athena's 262,144-byte
 * query text.
 */
export const MAX_EXPANDED_LENGTH = 1_000_000;
export const MAX_MACRO_CALLS = 10_000;

/**
 * Expands `macro` and `macro(a, b)` calls the way Splunk does before parsing: textually,
 * recursively, `$arg$` substituted. Unknown macros, a call with a number of arguments no
 * definition takes, a NUL character and an expansion past MAX_EXPANDED_LENGTH or
 * MAX_MACRO_CALLS are errors naming the macro and where it is defined.
 */
export function expandMacros(search: string, macros: MacroTable): SplSource {
  const out: string[] = [];
  const spans: OriginSpan[] = [];
  let length = 0;
  let calls = 0;
  const nul = search.indexOf('\0');
  if (nul >= 0) throw new SplError('the search contains a NUL character', { start: nul, end: nul + 1 });

  const emit = (text: string, origin: Origin): void => {
    if (!text) return;
    out.push(text);
    const prev = spans[spans.length - 1];
    // merge with the previous span when it continues the same origin contiguously
    if (
      prev &&
      prev.end === length &&
      sameOrigin(prev.origin, origin) &&
      originOffset(prev.origin) + (prev.end - prev.start) === originOffset(origin)
    ) {
      prev.end += text.length;
    } else {
      spans.push({ start: length, end: length + text.length, origin });
    }
    length += text.length;
  };

  /**
   * Expands `text`: the search itself (empty `stack`), or the definition of the last macro
   * in `stack`, reached from the call `root` in the search.
   */
  const expand = (text: string, at: (offset: number) => Origin, stack: MacroDef[], root?: Span): void => {
    const parent = stack[stack.length - 1];
    // an error in the search is at its position; one inside a definition is at the search's
    // call that led there (a position in the expanded definition would mean nothing to the
    // reader), and names the macro whose definition it is in
    const fail = (message: string, from: number, to: number): SplError =>
      parent && root
        ? new SplError(`${message}, in the definition of macro \`${parent.name}\` (${parent.definedIn})`, root)
        : new SplError(message, { start: from, end: to });
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf('`', i);
      if (open < 0) {
        emitRange(text, i, text.length, at, emit);
        return;
      }
      emitRange(text, i, open, at, emit);
      const close = text.indexOf('`', open + 1);
      if (close < 0) throw fail('unterminated macro call (a ` without its closing `)', open, open + 1);
      const call = parseCall(text.slice(open + 1, close));
      if (!call) throw fail(`malformed macro call \`${text.slice(open + 1, close)}\``, open, close + 1);
      const def = macros.lookup(call.name, call.args.length);
      if (!def) throw fail(unknownMessage(call.name, call.args.length, macros), open, close + 1);
      const chain = [...stack, def];
      if (stack.some((d) => d.name === def.name && d.args.length === def.args.length)) {
        throw fail(`macro \`${def.name}\` expands into itself (${chainText(chain)})`, open, close + 1);
      }
      if (stack.length >= MAX_DEPTH) {
        throw fail(`macros nest more than ${MAX_DEPTH} deep (${chainText(chain)})`, open, close + 1);
      }
      const top = root ?? { start: open, end: close + 1 };
      const tooBig = (what: string): SplError => {
        const first = chain[0] as MacroDef;
        return new SplError(
          `macro \`${first.name}\` (${first.definedIn}) ${what} (${chainText(chain)}); hunt stops there, as a search this size is a macro calling macros many times over`,
          top,
        );
      };
      if (++calls > MAX_MACRO_CALLS) throw tooBig(`makes more than ${MAX_MACRO_CALLS} macro calls`);
      const nulAt = def.definition.indexOf('\0');
      if (nulAt >= 0) {
        throw new SplError(
          `macro \`${def.name}\` (${def.definedIn}) contains a NUL character, at column ${nulAt + 1} of its definition`,
          top,
        );
      }
      let body = def.definition;
      def.args.forEach((arg, n) => {
        const parts = body.split(`$${arg}$`);
        const value = call.args[n] ?? '';
        // measured before joining: the joined text could pass what a string can hold at all
        if (body.length + (parts.length - 1) * value.length > MAX_EXPANDED_LENGTH) {
          throw tooBig(`expands to more than ${MAX_EXPANDED_LENGTH} characters`);
        }
        body = parts.join(value);
        // arguments passed down and repeated grow the text before any of it is emitted
        if (body.length > MAX_EXPANDED_LENGTH) throw tooBig(`expands to more than ${MAX_EXPANDED_LENGTH} characters`);
      });
      const origin = (offset: number): Origin => ({
        kind: 'macro',
        name: def.name,
        definedIn: def.definedIn,
        external: def.external,
        offset,
      });
      expand(body, origin, chain, top);
      if (length > MAX_EXPANDED_LENGTH) throw tooBig(`expands to more than ${MAX_EXPANDED_LENGTH} characters`);
      i = close + 1;
    }
  };

  expand(search, (offset) => ({ kind: 'search', offset }), []);
  return new SplSource(out.join(''), spans, search);
}

const chainText = (chain: MacroDef[]): string => chain.map((d) => `${d.name}/${d.args.length}`).join(' → ');

/** "unknown macro `x`(2 arguments)", and when `x` exists with other numbers of arguments, which and where. */
function unknownMessage(name: string, argc: number, macros: MacroTable): string {
  const unknown = `unknown macro \`${name}\`${argc ? `(${argc} arguments)` : ''}`;
  const others = macros.definitions?.(name) ?? [];
  if (others.length === 0) return unknown;
  const takes = others.map((d) => `${argCount(d.args.length)} (in ${d.definedIn})`).join(' or ');
  return `${unknown}; \`${name}\` takes ${takes}`;
}

const argCount = (n: number): string => (n === 0 ? 'no arguments' : n === 1 ? '1 argument' : `${n} arguments`);

function emitRange(
  text: string,
  from: number,
  to: number,
  at: (offset: number) => Origin,
  emit: (t: string, o: Origin) => void,
): void {
  if (to > from) emit(text.slice(from, to), at(from));
}

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'macro' && b.kind === 'macro') return a.name === b.name && a.definedIn === b.definedIn;
  return true;
}

function originOffset(o: Origin): number {
  return o.offset;
}

/** `name` or `name(arg, "a, b", arg3)`: arguments split on top-level commas. */
function parseCall(inner: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9_\-.:]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(inner);
  if (!m) return undefined;
  const name = m[1] as string;
  const argText = m[2];
  if (argText === undefined) return { name, args: [] };
  const args: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (let i = 0; i < argText.length; i++) {
    const c = argText[i] as string;
    if (quote) {
      cur += c;
      if (c === '\\' && i + 1 < argText.length) cur += argText[++i];
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() || args.length) args.push(cur.trim());
  return { name, args };
}
