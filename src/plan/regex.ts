import type { Literal } from '../spl/ast.js';
import { and, coalesce, FALSE, fn, lit, notNull, type Expr } from './ir.js';
import type { Planner } from './planner.js';
import { toStr, type TE } from './typed.js';

/** A regex from the detection is SQL text; one from configuration travels as a parameter. */
export const patternExpr = (v: Literal, text = v.text): Expr =>
  v.external ? { k: 'param', slot: { kind: 'value', value: text } } : lit(text);

export function refuseRaw(
  p: Planner,
  command: string,
  field: { name: string; span: { start: number; end: number } },
): void {
  if (field.name === '_raw') {
    throw p.ctx.error(
      `\`${command}\` over _raw is not supported: hunt has no raw event text for ${p.source.sourcetype} (${p.source.raw}); name the field (${command} field=...)`,
      field.span,
    );
  }
}

/** true when the value (any value of a multivalue field) matches; false, never NULL, otherwise. */
export function regexMatches(te: TE, pattern: Expr, fresh: (prefix: string) => string): Expr {
  if (te.t === 'mv') {
    const v = fresh('m');
    return and(
      notNull(te.e),
      coalesce(fn('anyMatch', te.e, { k: 'lambda', v, body: fn('regexLike', { k: 'var', name: v }, pattern) }), FALSE),
    );
  }
  const text = toStr(te);
  return and(notNull(text), coalesce(fn('regexLike', text, pattern), FALSE));
}

/**
 * The named capture groups of a PCRE-style regex with their group numbers, and the regex with
 * the names removed (RE2 in DuckDB does not take `(?<name>`; positions stay the same).
 */
export function namedGroups(re: string): { names: { name: string; index: number }[]; pattern: string; error?: string } {
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
