import type { Command } from '../../spl/ast.js';
import { OverlayEnv } from '../env.js';
import { coalesce, fn, lit } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { patternExpr, refuseRaw } from '../regex.js';
import { checkRegex } from '../regex-syntax.js';
import { alwaysNull, toStr, type TE } from '../typed.js';

/**
 * `rex field=f "(?<name>re)"`: each named group of the first match becomes a field; with
 * max_match=N (0: all) the groups of up to N matches become multivalue fields. Where the
 * regex does not match, the fields keep whatever value they had. A multivalue f is read as
 * its first value.
 */
export function rex(p: PlannerState, cmd: Extract<Command, { k: 'rex' }>): void {
  refuseRaw(p, 'rex', cmd.field);
  // refuses a malformed regex, a group name used twice included
  const groups = checkRegex(p.ctx, cmd.pattern.text, cmd.pattern.span);
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
