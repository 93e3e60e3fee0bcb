import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { type Env, LazyEnv, sqlName } from '../env.js';
import { lit, type Expr, type Stage } from '../ir.js';
import { alwaysNull, toStr, type TE } from '../typed.js';
import { convert, NO_KEYS, numbered, SQL_TYPE, unifiedKind } from '../subsearch.js';

/** Splunk keeps the first 50,000 rows of an append subsearch (limits.conf maxout). */
const APPEND_MAXOUT = 50000;

/**
 * `append [subsearch]`: the subsearch's rows after the main rows. The field sets may differ;
 * later commands see the union (a field a row lacks is missing there).
 */
export function append(p: PlannerState, cmd: Extract<Command, { k: 'append' }>): void {
  appendRows(p, p.subsearch(cmd.sub.pipeline), APPEND_MAXOUT);
}

/** The rows of `sub` (at most `maxout` of them) after the rows of `p`; later commands see the union. */
export function appendRows(p: PlannerState, sub: PlannerState, maxout: number | undefined): void {
  const seqMain = numbered(p, undefined);
  const seqSub = numbered(sub, maxout);
  const branches = [
    { env: p.env, stage: p.current },
    { env: sub.env, stage: sub.current },
  ];
  const alias = p.ctx.fresh('a');
  const union = new UnionEnv(branches, alias);
  p.current = p.addStage({ kind: 'union', alias, stages: branches.map((b) => b.stage) });
  p.env = union;
  // main rows first, each branch in its own order; projected only if something needs the order
  const src = new LazyEnv(NO_KEYS, '__src', () => ({ e: union.column('hunt_src', [lit(0), lit(1)]), t: 'int' }));
  const seq = new LazyEnv(src, '__seq', () => ({ e: union.column('hunt_seq', [seqMain().e, seqSub().e]), t: 'int' }));
  p.useOrder(seq, [
    { name: '__src', desc: false },
    { name: '__seq', desc: false },
  ]);
  for (const n of sub.outputNames()) p.ctx.mention(n);
}

/**
 * The fields after append: a name resolves in every branch; each branch projects it (or a
 * typed NULL) under the same column, in the same column order.
 */
class UnionEnv implements Env {
  private readonly cache = new Map<string, TE | undefined>();
  constructor(
    private readonly branches: { env: Env; stage: Stage }[],
    private readonly alias: string,
  ) {}

  /** a column every branch projects, with each branch's value */
  column(name: string, values: Expr[]): Expr {
    const base = sqlName(name);
    let col = base;
    for (let n = 2; this.branches.some((b) => b.stage.outputs.has(col)); n++) col = `${base}_${n}`;
    this.branches.forEach((b, i) => b.stage.outputs.set(col, values[i] as Expr));
    return { k: 'col', scope: this.alias, path: [col] };
  }

  resolve(name: string): TE | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const tes = this.branches.map((b) => {
      const te = b.env.resolve(name);
      return te && !alwaysNull(te) ? te : undefined;
    });
    let out: TE | undefined;
    const present = tes.filter((t): t is TE => t !== undefined);
    if (present.length > 0) {
      const t = unifiedKind(present.map((x) => x.t));
      const values = tes.map((te) => (te ? convert(te, t) : { k: 'cast' as const, a: lit(null), to: SQL_TYPE[t] }));
      out = { e: this.column(name, values), t };
    }
    this.cache.set(name, out);
    return out;
  }

  names(): string[] | undefined {
    const lists = this.branches.map((b) => b.env.names());
    if (lists.some((l) => !l)) return undefined;
    const out: string[] = [];
    for (const l of lists as string[][]) for (const n of l) if (!out.includes(n)) out.push(n);
    return out;
  }

  spathRaw(): TE | undefined {
    return undefined;
  }

  /** each branch's event id, so dc(_raw) after append counts the events of both */
  rawIdentity(): TE | undefined {
    if (!this.cache.has('\0raw')) {
      const ids = this.branches.map((b) => b.env.rawIdentity());
      const present = ids.filter((t): t is TE => !!t && !alwaysNull(t));
      this.cache.set(
        '\0raw',
        present.length === 0
          ? undefined
          : {
              e: this.column(
                'hunt_raw',
                ids.map((t) =>
                  t && !alwaysNull(t) ? toStr(t) : { k: 'cast' as const, a: lit(null), to: 'varchar' as const },
                ),
              ),
              t: 'str',
            },
      );
    }
    return this.cache.get('\0raw');
  }
}
