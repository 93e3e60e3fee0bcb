/**
 * The syntax check of a regex written in a search (PCRE, as Splunk reads it), so that a
 * malformed one is refused when the search is compiled and linted, not by the engine when the
 * query runs. It checks structure only (groups, classes, repetitions, escapes), which every
 * engine agrees on. Beyond that, it names the PCRE constructs DuckDB's engine (RE2) lacks, so the
 * compiler can warn that such a search runs on Athena only.
 */
import type { EvalExpr, Span } from '../spl/ast.js';
import type { PlanContext } from './context.js';

export interface RegexProblem {
  /** 0-based offset into the regex */
  index: number;
  reason: string;
}

/** What came just before: nothing to repeat, a repeatable item, a repetition, or a lazy/possessive one. */
type Prev = 'none' | 'atom' | 'quant' | 'done';

/** The first syntax error of `re`, or undefined when it is well-formed. */
export function regexProblem(re: string): RegexProblem | undefined {
  const open: number[] = [];
  let prev: Prev = 'none';
  let i = 0;
  while (i < re.length) {
    const c = re[i] as string;
    if (c === '\\') {
      if (i + 1 >= re.length) return { index: i, reason: 'it ends in a lone backslash' };
      if (re[i + 1] === 'Q') {
        // \Q...\E quotes literally (to the end when \E is missing)
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 2;
      } else i += 2;
      prev = 'atom';
      continue;
    }
    if (c === '[') {
      const end = classEnd(re, i);
      if (typeof end !== 'number') return end;
      i = end + 1;
      prev = 'atom';
      continue;
    }
    if (c === '(') {
      const g = groupOpening(re, i);
      if ('reason' in g) return g;
      if (g.kind === 'group') {
        open.push(i);
        prev = 'none';
      } else prev = g.kind === 'atom' ? 'atom' : prev;
      i += g.length;
      continue;
    }
    if (c === ')') {
      if (open.pop() === undefined) return { index: i, reason: 'this ) closes no group' };
      prev = 'atom';
      i++;
      continue;
    }
    if (c === '|') {
      prev = 'none';
      i++;
      continue;
    }
    const counted = c === '{' ? /^\{(\d+)(?:(,)(\d*))?\}/.exec(re.slice(i)) : null;
    if (c === '*' || c === '+' || c === '?' || counted) {
      const what = counted ? counted[0] : c;
      if (prev === 'none') return { index: i, reason: `${what} follows nothing it could repeat` };
      if (prev === 'quant' && (c === '?' || c === '+'))
        prev = 'done'; // lazy or possessive
      else if (prev !== 'atom') return { index: i, reason: `${what} repeats a repetition` };
      else prev = 'quant';
      if (counted?.[3]) {
        const [lo, hi] = [Number(counted[1]), Number(counted[3])];
        if (lo > hi) return { index: i, reason: `the repetition ${what} counts down (${lo} > ${hi})` };
      }
      i += what.length;
      continue;
    }
    prev = 'atom'; // any other character, { that starts no repetition included, matches itself
    i++;
  }
  const last = open.pop();
  if (last !== undefined) return { index: last, reason: 'the group opened here is never closed' };
  return undefined;
}

/** The offset of the ] closing the class that opens at `start`. */
function classEnd(re: string, start: number): number | RegexProblem {
  let j = start + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++; // a ] first in a class is itself
  while (j < re.length) {
    const c = re[j] as string;
    if (c === ']') return j;
    if (c === '\\') {
      j += escapeLength(re, j);
      // a range from an escaped endpoint (\x5f-a) is not compared: its value needs decoding
      if (re[j] === '-' && re[j + 1] !== undefined && re[j + 1] !== ']') j += 1 + itemLength(re, j + 1);
      continue;
    }
    if (c === '[' && re[j + 1] === ':') {
      const end = re.indexOf(':]', j + 2);
      if (end >= 0) {
        j = end + 2; // a POSIX class, [:alpha:]
        continue;
      }
    }
    const to = re[j + 2];
    if (re[j + 1] === '-' && to !== undefined && to !== ']' && to !== '[') {
      // only plain endpoints are compared; the range's end is consumed, so in [a-z-.] the second
      // - is a literal, not a range starting at z
      if (to !== '\\' && to < c) return { index: j, reason: `the range ${c}-${to} runs backwards` };
      j += 2 + itemLength(re, j + 2);
      continue;
    }
    j++;
  }
  return { index: start, reason: 'the character class opened here is never closed' };
}

/** The length of the class item at `j`: an escape sequence, or one character. */
const itemLength = (re: string, j: number): number => (re[j] === '\\' ? escapeLength(re, j) : 1);

/** The length of the escape sequence at `j` (a backslash): \x{41}, \x41, \o{17}, \012, \cA, \p{L}, or \ and one character. */
function escapeLength(re: string, j: number): number {
  const rest = re.slice(j + 1);
  const m =
    /^[xop]\{[^}]*\}/.exec(rest) ??
    /^x[0-9a-fA-F]{0,2}/.exec(rest) ??
    /^0[0-7]{0,2}/.exec(rest) ??
    /^[cpP]./.exec(rest);
  return 1 + (m ? m[0].length : Math.min(1, rest.length));
}

/**
 * What an opening parenthesis at `i` starts: a group (closed by a later `)`), an item that is
 * complete already (a back-reference, a recursion, a comment: `atom`), or an option setting
 * that matches nothing (`flags`), with the length of its opening.
 */
function groupOpening(re: string, i: number): { kind: 'group' | 'atom' | 'flags'; length: number } | RegexProblem {
  const rest = re.slice(i);
  if (!rest.startsWith('(?') && !rest.startsWith('(*')) return { kind: 'group', length: 1 };
  if (rest.startsWith('(*')) {
    // a PCRE verb such as (*UTF8) or (*SKIP)
    const verb = /^\(\*[A-Z_]*(?::[^)]*)?\)/.exec(rest);
    if (verb) return { kind: 'flags', length: verb[0].length };
    return { index: i + 1, reason: '* follows nothing it could repeat' };
  }
  const simple = /^\(\?(?:[:=!>|]|<[=!])/.exec(rest);
  if (simple) return { kind: 'group', length: simple[0].length };
  if (/^\(\?(?:P?<|')/.test(rest)) {
    const named = /^\(\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|'[A-Za-z_][A-Za-z0-9_]*')/.exec(rest);
    if (named) return { kind: 'group', length: named[0].length };
    return { index: i, reason: 'a group name must be a word (letters, digits, _; not starting with a digit)' };
  }
  const complete = /^\(\?(?:#[^)]*|P[=>][A-Za-z_][A-Za-z0-9_]*|R|[+-]?\d+|&[A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
  if (complete) return { kind: 'atom', length: complete[0].length };
  if (rest.startsWith('(?#')) return { index: i, reason: 'the comment opened here is never closed' };
  if (rest.startsWith('(?(')) return { kind: 'group', length: 2 }; // a conditional: its condition is the next group
  const flags = /^\(\?[imsxnUJ]*(?:-[imsxnUJ]*)?([:)])/.exec(rest);
  if (flags) return { kind: flags[1] === ':' ? 'group' : 'flags', length: flags[0].length };
  return { index: i, reason: `(?${rest[2] ?? ''} starts no kind of group` };
}

/** The message hunt refuses a malformed regex with. */
export function describeRegexProblem(re: string, p: RegexProblem): string {
  return `invalid regex "${re}": ${p.reason} (character ${p.index + 1} of the regex)`;
}

/**
 * A regex written in the search (or a macro) as the engines take it: refused when malformed,
 * naming it and where it is; with a warning when it uses what RE2 (DuckDB) does not have; its
 * group names dropped, as RE2 takes no (?<name>...) (the groups keep their numbers).
 */
export function checkRegex(ctx: PlanContext, re: string, span: Span): NamedGroups {
  const problem = regexProblem(re);
  if (problem) throw ctx.error(describeRegexProblem(re, problem), span);
  const gap = re2Gap(re);
  if (gap) {
    ctx.warn(
      `regex "${re}" uses ${gap.what} (character ${gap.index + 1}), which DuckDB's regex engine (RE2) does not have: the search runs on Athena but fails on the local lake`,
      span,
    );
  }
  // PCRE refuses a group name used twice (without (?J), which RE2 lacks anyway)
  const groups = namedGroups(re);
  if (groups.error) throw ctx.error(`invalid regex "${re}": ${groups.error}`, span);
  return groups;
}

/**
 * A function's regex argument: a literal is checked here and given as the engines' pattern; any
 * other expression is a regex computed per event, left as it is.
 */
export function regexArgument(ctx: PlanContext, written: EvalExpr): EvalExpr {
  return written.k === 'str' ? { ...written, value: checkRegex(ctx, written.value, written.span).pattern } : written;
}

/** PCRE group openings RE2 does not take, by their text after `(`. */
const RE2_GROUPS: [RegExp, string][] = [
  [/^\?(?:=|!)/, 'a lookahead'],
  [/^\?<(?:=|!)/, 'a lookbehind'],
  [/^\?>/, 'an atomic group'],
  [/^\?\|/, 'a branch reset group'],
  [/^\?\(/, 'a conditional group'],
  [/^\?#/, 'a comment group'],
  [/^\?(?:R|[+-]?\d|&|P>)/, 'a recursion'],
  [/^\?P=/, 'a back-reference'],
  [/^\?[imsU]*(?:-[imsU]*)?[xnJ]/, 'an option RE2 lacks (x, n or J)'],
  [/^\*/, 'a PCRE verb'],
];

/** The first construct of a well-formed regex that RE2 does not support, if any. */
export function re2Gap(re: string): { index: number; what: string } | undefined {
  let quantified = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i] as string;
    if (c === '\\') {
      const next = re[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k' || next === 'g') return { index: i, what: 'a back-reference' };
      // PCRE escapes RE2 refuses (checked against DuckDB): \\Z \\G \\K \\R \\h \\H \\X \\e \\c \\N \\o{}
      if (/[ZGKRhHXecNo]/.test(next)) return { index: i, what: `the escape \\${next}` };
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 1;
      } else i++;
      quantified = false;
      continue;
    }
    if (c === '[') {
      const end = classEnd(re, i);
      i = typeof end === 'number' ? end : re.length;
      quantified = false;
      continue;
    }
    if (c === '(') {
      const rest = re.slice(i + 1);
      for (const [pattern, what] of RE2_GROUPS) if (pattern.test(rest)) return { index: i, what };
      quantified = false;
      continue;
    }
    if (c === '+' && quantified) return { index: i, what: 'a possessive repetition' };
    const counted = c === '{' ? /^\{(\d+)(?:,(\d*))?\}/.exec(re.slice(i)) : null;
    // RE2 caps a counted repetition at 1000
    if (counted && Math.max(Number(counted[1]), Number(counted[2] || 0)) > 1000) {
      return { index: i, what: 'a repetition count over 1000' };
    }
    if (counted) i += counted[0].length - 1;
    // a repetition's own ? (lazy) is no new repetition
    quantified = (c === '*' || c === '+' || counted !== null || (c === '?' && !quantified)) && re[i - 1] !== '(';
  }
  return undefined;
}

/**
 * The named capture groups of a PCRE-style regex with their group numbers, and the regex with
 * the names removed (RE2 in DuckDB does not take `(?<name>`; positions stay the same).
 */
export interface NamedGroups {
  names: { name: string; index: number }[];
  /** the regex without the group names */
  pattern: string;
  error?: string;
}

export function namedGroups(re: string): NamedGroups {
  const names: { name: string; index: number }[] = [];
  let out = '';
  let index = 0;
  for (let i = 0; i < re.length; i++) {
    const c = re[i] as string;
    if (c === '\\') {
      out += re.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '[') {
      // a character class: up to the first unescaped ] (a ] right after [ or [^ is literal)
      let j = i + 1;
      if (re[j] === '^') j++;
      if (re[j] === ']') j++;
      for (; j < re.length && re[j] !== ']'; j++) if (re[j] === '\\') j++;
      out += re.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') {
      const named = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(re.slice(i));
      if (named) {
        index++;
        names.push({ name: (named[1] ?? named[2]) as string, index });
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (re[i + 1] !== '?' && re[i + 1] !== '*') index++;
    }
    out += c;
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.name)) return { names, pattern: out, error: `the group name ${n.name} is used twice` };
    seen.add(n.name);
  }
  return { names, pattern: out };
}
