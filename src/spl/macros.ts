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
}

const MAX_DEPTH = 20;

/**
 * Expands `macro` and `macro(a, b)` calls the way Splunk does before parsing: textually,
 * recursively, `$arg$` substituted. Unknown macros are errors naming the macro.
 */
export function expandMacros(search: string, macros: MacroTable): SplSource {
  const out: string[] = [];
  const spans: OriginSpan[] = [];
  let length = 0;

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

  const expand = (text: string, at: (offset: number) => Origin, stack: string[], errorPos: number): void => {
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf('`', i);
      if (open < 0) {
        emitRange(text, i, text.length, at, emit);
        return;
      }
      emitRange(text, i, open, at, emit);
      const close = text.indexOf('`', open + 1);
      if (close < 0) {
        throw new SplError(`unterminated macro call (a \` without its closing \`)`, {
          start: errorPos + open,
          end: errorPos + open + 1,
        });
      }
      const call = parseCall(text.slice(open + 1, close));
      const where = { start: errorPos + open, end: errorPos + close + 1 };
      if (!call) throw new SplError(`malformed macro call \`${text.slice(open + 1, close)}\``, where);
      const def = macros.lookup(call.name, call.args.length);
      if (!def) {
        const arity = call.args.length ? `(${call.args.length} arguments)` : '';
        throw new SplError(`unknown macro \`${call.name}\`${arity}`, where);
      }
      const key = `${def.name}/${def.args.length}`;
      if (stack.includes(key) || stack.length >= MAX_DEPTH) {
        throw new SplError(`macro \`${def.name}\` expands into itself (${[...stack, key].join(' → ')})`, where);
      }
      let body = def.definition;
      def.args.forEach((arg, n) => {
        body = body.split(`$${arg}$`).join(call.args[n] ?? '');
      });
      const origin = (offset: number): Origin => ({
        kind: 'macro',
        name: def.name,
        definedIn: def.definedIn,
        external: def.external,
        offset,
      });
      expand(body, origin, [...stack, key], where.start);
      i = close + 1;
    }
  };

  expand(search, (offset) => ({ kind: 'search', offset }), [], 0);
  return new SplSource(out.join(''), spans, search);
}

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
