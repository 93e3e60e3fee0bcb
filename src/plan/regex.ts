import type { Command, Literal } from '../spl/ast.js';
import { and, coalesce, FALSE, fn, lit, not, notNull, TRUE, type Expr } from './ir.js';
import { OverlayEnv } from './env.js';
import type { Planner } from './planner.js';
import { checkRegex } from './regex-syntax.js';
import { alwaysNull, toStr, type TE } from './typed.js';

/** A regex from the detection is SQL text; one from configuration travels as a parameter. */
const patternExpr = (v: Literal, text = v.text): Expr =>
  v.external ? { k: 'param', slot: { kind: 'value', value: text } } : lit(text);

function refuseRaw(p: Planner, command: string, field: { name: string; span: { start: number; end: number } }): void {
  if (field.name === '_raw') {
    throw p.ctx.error(
      `\`${command}\` over _raw is not supported: hunt has no raw event text for ${p.source.sourcetype} (${p.source.raw}); name the field (${command} field=...)`,
      field.span,
    );
  }
}

/**
 * `regex f="re"` keeps the events where f matches the regex anywhere (unanchored);
 * `regex f!="re"` keeps the others. A multivalue field matches when any of its values does.
 * An event without f never matches: `=` drops it, `!=` keeps it.
 */
export function regexFilter(p: Planner, cmd: Extract<Command, { k: 'regex' }>): void {
  refuseRaw(p, 'regex', cmd.field);
  checkRegex(p.ctx, cmd.pattern.text, cmd.pattern.span);
  p.ctx.mention(cmd.field.name);
  const te = p.env.resolve(cmd.field.name);
  if (!te || alwaysNull(te)) {
    p.ctx.warn(
      `regex ${cmd.field.name}${cmd.negate ? '!=' : '='}: no source field or earlier command defines ${cmd.field.name}, so ${cmd.negate ? 'every event is kept' : 'no event is kept'}`,
      cmd.field.span,
      { code: 'unknown-field', field: cmd.field.name },
    );
    p.filter(cmd.negate ? TRUE : FALSE);
    return;
  }
  const matches = regexMatches(te, patternExpr(cmd.pattern), (x) => p.ctx.fresh(x));
  p.filter(cmd.negate ? not(matches) : matches);
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
 * `rex field=f "(?<name>re)"`: each named group of the first match becomes a field; with
 * max_match=N (0: all) the groups of up to N matches become multivalue fields. Where the
 * regex does not match, the fields keep whatever value they had. A multivalue f is read as
 * its first value.
 */
export function rex(p: Planner, cmd: Extract<Command, { k: 'rex' }>): void {
  refuseRaw(p, 'rex', cmd.field);
  checkRegex(p.ctx, cmd.pattern.text, cmd.pattern.span);
  const groups = namedGroups(cmd.pattern.text);
  if (groups.error) throw p.ctx.error(`rex: ${groups.error}`, cmd.pattern.span);
  if (groups.names.length === 0) {
    p.ctx.warn(`rex "${cmd.pattern.text}" has no named group (?<name>...), so it extracts nothing`, cmd.pattern.span);
    return;
  }
  p.ctx.mention(cmd.field.name);
  const te = p.env.resolve(cmd.field.name);
  if (!te || alwaysNull(te)) {
    p.ctx.warn(
      `rex field=${cmd.field.name}: no source field or earlier command defines ${cmd.field.name}, so it extracts nothing`,
      cmd.field.span,
      {
        code: 'unknown-field',
        field: cmd.field.name,
      },
    );
    return;
  }
  const text = toStr(te);
  const pattern = patternExpr(cmd.pattern, groups.pattern);
  const defs = new Map<string, TE>();
  for (const g of groups.names) {
    p.ctx.mention(g.name);
    let value: TE;
    if (cmd.maxMatch === 1) {
      value = { e: fn('regexExtract', text, pattern, lit(g.index)), t: 'str' };
    } else {
      const all = fn('arrayCompact', fn('regexExtractAll', text, pattern, lit(g.index)));
      const some = cmd.maxMatch === 0 ? all : fn('arraySlice', all, lit(1), lit(cmd.maxMatch));
      value = { e: fn('nullIfEmpty', some), t: 'mv' };
    }
    const before = p.env.resolve(g.name);
    if (before && !alwaysNull(before)) {
      const same = before.t === value.t;
      value = {
        e: coalesce(
          value.e,
          same ? before.e : value.t === 'mv' ? { k: 'array', items: [toStr(before)] } : toStr(before),
        ),
        t: value.t,
      };
    }
    defs.set(g.name, value);
  }
  p.env = new OverlayEnv(p.env, defs);
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
