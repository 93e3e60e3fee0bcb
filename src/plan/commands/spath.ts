import type { Command } from '../../spl/ast.js';
import { OverlayEnv, SpathAutoEnv } from '../env.js';
import { fn } from '../ir.js';
import type { PlannerState } from '../planner-state.js';
import { parseFieldPath, toJsonSteps } from '../source-env.js';
import { alwaysNull, toStr, type TE } from '../typed.js';

/**
 * `spath input=f [path=p] [output=o]`: a JSON path of a field (or of the raw event) as a field;
 * without a path, every JSON key of the input becomes a field on demand.
 */
export function spath(p: PlannerState, cmd: Extract<Command, { k: 'spath' }>): void {
  const ctx = p.ctx;
  if (cmd.path === undefined) {
    if (cmd.input === '_raw') return; // the source's JSON fields are already fields (KV_MODE=json)
    ctx.mention(cmd.input);
    const input = p.env.resolve(cmd.input);
    if (!input || alwaysNull(input)) {
      ctx.warn(`spath input=${cmd.input}: no source field or earlier command defines ${cmd.input}`, cmd.span, {
        code: 'unknown-field',
        field: cmd.input,
      });
      return;
    }
    const text = toStr(input);
    p.env = new SpathAutoEnv(p.env, (name) => {
      const segs = parseFieldPath(name);
      if (!segs || name.startsWith('_')) return undefined;
      const many = segs.some((s) => s.each);
      return { e: { k: 'json', mode: 'field', a: text, path: toJsonSteps(segs) }, t: many ? 'mv' : 'str' };
    });
    return;
  }
  const segs = parseFieldPath(cmd.path);
  if (!segs) throw ctx.error(`spath path=${cmd.path} is not a path spath understands`, cmd.span);
  const output = cmd.output ?? cmd.path;
  ctx.mention(output);
  let te: TE | undefined;
  if (cmd.input === '_raw') {
    te = p.env.spathRaw(cmd.path);
    if (!te)
      ctx.warn(
        `spath path=${cmd.path}: ${p.source ? `the ${p.source.sourcetype} events have` : 'lookup rows have'} no such path`,
        cmd.span,
        {
          code: 'unknown-path',
          field: cmd.path,
        },
      );
  } else {
    ctx.mention(cmd.input);
    const input = p.env.resolve(cmd.input);
    if (input && !alwaysNull(input)) {
      te = {
        e: { k: 'json', mode: 'spath', a: toStr(input), path: toJsonSteps(segs) },
        t: segs.some((s) => s.each) ? 'mv' : 'str',
      };
    }
  }
  const before = p.env.resolve(output);
  const value =
    te && before && !alwaysNull(before)
      ? { e: fn('coalesce', te.e, before.e), t: te.t === before.t ? te.t : 'str' }
      : (te ?? before);
  p.env = new OverlayEnv(p.env, new Map([[output, value ?? null]]));
}
