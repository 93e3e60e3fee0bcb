import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { BoundaryEnv, type Env } from '../env.js';
import { and, bin, coalesce, FALSE, lit, notNull, type Expr } from '../ir.js';
import { alwaysNull, toStr, type TE } from '../typed.js';
import { convert, numbered, unifiedKind } from '../subsearch.js';

/** Splunk keeps the first 50,000 rows of a join subsearch (limits.conf maxout). */
const JOIN_MAXOUT = 50000;

/**
 * `join [type=inner|left] [max=N] f1 f2 [subsearch]`: each main row joins the subsearch rows
 * whose join fields equal its own (as text, case-sensitively), at most `max` of them (default
 * 1: the first in the subsearch's order; 0: all). Rows missing a join field match nothing; an
 * inner join drops unmatched main rows, a left join keeps them as they are. With
 * overwrite=true (the default) the subsearch's values replace the main row's.
 */
export function join(p: PlannerState, cmd: Extract<Command, { k: 'join' }>): void {
  const ctx = p.ctx;
  const sub = p.subsearch(cmd.sub.pipeline);
  numbered(sub, JOIN_MAXOUT);
  const subKeys: (TE | undefined)[] = [];
  for (const f of cmd.fields) {
    const te = sub.env.resolve(f.name);
    if (!te || alwaysNull(te)) {
      ctx.warn(`join ${f.name}: the subsearch defines no ${f.name}, so no row matches`, f.span);
      subKeys.push(undefined);
      continue;
    }
    if (te.t === 'mv') throw ctx.error(`join on the multivalue field ${f.name} is not supported`, f.span);
    // subsearch rows missing a join field match nothing
    sub.filter(notNull(te.e));
    subKeys.push(te);
  }
  // each subsearch row's rank among the rows with the same join values, in subsearch order
  const present = subKeys.filter((k): k is TE => k !== undefined).map((k) => toStr(k));
  const rank = sub.carryRowNumber(present);
  sub.newStage();
  const head = sub.current;
  const subEnv = new BoundaryEnv(sub.env, head);
  const subInternal = new BoundaryEnv(sub.keys, head);
  const rankCol = subInternal.resolve(rank.name);
  // the subsearch's row order rides along for main rows that join several rows
  const subOrder = sub.order.flatMap((o) => {
    const te = subInternal.resolve(o.name);
    return te ? [{ te, desc: o.desc }] : [];
  });

  p.newStage();
  const conds: Expr[] = [];
  cmd.fields.forEach((f, i) => {
    ctx.mention(f.name);
    const mainKey = p.env.resolve(f.name);
    const subKey = subKeys[i] ? subEnv.resolve(f.name) : undefined;
    if (!mainKey || alwaysNull(mainKey)) {
      ctx.warn(`join ${f.name}: no source field or earlier command defines ${f.name}, so no row matches`, f.span, {
        code: 'unknown-field',
        field: f.name,
      });
      conds.push(FALSE);
      return;
    }
    if (mainKey.t === 'mv') throw ctx.error(`join on the multivalue field ${f.name} is not supported`, f.span);
    conds.push(subKey ? bin('=', toStr(mainKey), toStr(subKey)) : FALSE);
  });
  if (cmd.max > 0 && rankCol) conds.push(bin('<=', rankCol.e, lit(cmd.max)));
  p.current.joins.push({ stage: head, type: cmd.type, on: and(...conds) });
  p.env = new JoinEnv(
    p.env,
    subEnv,
    cmd.fields.map((f) => f.name),
    cmd.overwrite,
  );
  p.addOrder(subOrder);
  for (const n of sub.outputNames()) ctx.mention(n);
}

/** The fields after join: the join fields are the main row's; others merge, the subsearch's winning with overwrite. */
class JoinEnv implements Env {
  constructor(
    private readonly main: Env,
    private readonly sub: Env,
    private readonly keys: string[],
    private readonly overwrite: boolean,
  ) {}

  resolve(name: string): TE | undefined {
    const m = this.main.resolve(name);
    if (this.keys.includes(name) || name.startsWith('_')) return m;
    const s = this.sub.resolve(name);
    if (!s || alwaysNull(s)) return m;
    if (!m || alwaysNull(m)) return s;
    const t = unifiedKind([m.t, s.t]);
    const [first, second] = this.overwrite ? [s, m] : [m, s];
    return { e: coalesce(convert(first, t), convert(second, t)), t };
  }

  names(): string[] | undefined {
    const m = this.main.names();
    const s = this.sub.names();
    if (!m || !s) return undefined;
    return [...m, ...s.filter((n) => !m.includes(n))];
  }

  spathRaw(path: string): TE | undefined {
    return this.main.spathRaw(path);
  }

  rawIdentity(): TE | undefined {
    return this.main.rawIdentity();
  }
}
