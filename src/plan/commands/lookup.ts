import type { Command, FieldName } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { OverlayEnv } from '../env.js';
import { and, bin, caseWhen, coalesce, FALSE, fn, isNull, lit, notNull, type Expr, type Stage } from '../ir.js';
import type { LookupTable } from '../lookup-table.js';
import { lookupField, lookupStage } from '../lookup-rows.js';
import { convert, unifiedKind } from '../subsearch.js';
import { alwaysNull, toStr, type TE } from '../typed.js';

/**
 * `lookup NAME f [AS ev] ... [OUTPUT|OUTPUTNEW out [AS ev], ...]`: each event gets the output
 * fields of the lookup rows whose match fields equal its own (as text; case-insensitively when
 * the lookup says `case_sensitive_match: false`). Up to `max_matches` rows match, in file order:
 * one match gives a value, several a multivalue field. An event missing a match field matches
 * nothing. Without OUTPUT every other lookup field is output. OUTPUT overwrites (an event with no
 * match loses the field); OUTPUTNEW fills only fields the event lacks.
 */
export function lookup(p: PlannerState, cmd: Extract<Command, { k: 'lookup' }>): void {
  const ctx = p.ctx;
  const table = p.lookup(cmd.table);
  for (const i of cmd.inputs) {
    lookupField(table, i.field, ctx);
    if (table.wildcardFields.includes(i.field.name)) {
      throw ctx.error(
        `lookup ${table.name} matches ${i.field.name} as a WILDCARD pattern (match_type in ${table.file}), which hunt does not support`,
        i.field.span,
      );
    }
  }
  const keys = cmd.inputs.map((i) => i.field.name);
  const outputs: { field: FieldName; as: FieldName }[] =
    cmd.mode === 'all'
      ? table.fields
          .filter((f) => !keys.includes(f))
          .map((name) => ({ field: { name, span: cmd.table.span }, as: { name, span: cmd.table.span } }))
      : cmd.outputs;
  for (const o of outputs) lookupField(table, o.field, ctx);

  const { matches, norm, outCols } = groupedMatches(p, table, keys, outputs);

  // each event joins the group of its match values; an event missing one matches nothing
  p.newStage();
  const conds = cmd.inputs.map((i, n): Expr => {
    ctx.mention(i.as.name);
    const ev = p.env.resolve(i.as.name);
    if (!ev || alwaysNull(ev)) {
      ctx.warn(
        `lookup ${table.name}: no source field or earlier command defines ${i.as.name}, so no event matches`,
        i.as.span,
        {
          code: 'unknown-field',
          field: i.as.name,
        },
      );
      return FALSE;
    }
    if (ev.t === 'mv') throw ctx.error(`lookup on the multivalue field ${i.as.name} is not supported`, i.as.span);
    return bin('=', norm(toStr(ev)), { k: 'col', scope: matches.alias, path: [`k${n + 1}`] });
  });
  p.current.joins.push({ stage: matches, type: 'left', on: and(...conds) });
  const defs = new Map<string, TE | null>();
  outputs.forEach((o, i) => {
    const out = outCols[i] as { name: string; t: 'str' | 'mv' };
    ctx.mention(o.as.name);
    const column: Expr = { k: 'col', scope: matches.alias, path: [out.name] };
    // min_matches 1: an event with no match gets default_match (one value, or a list of one)
    const fallback = table.defaultMatch;
    const found: TE =
      fallback === undefined
        ? { e: column, t: out.t }
        : {
            e: caseWhen(
              [
                {
                  when: isNull({ k: 'col', scope: matches.alias, path: ['k1'] }),
                  then: out.t === 'mv' ? { k: 'array', items: [lit(fallback)] } : lit(fallback),
                },
              ],
              column,
            ),
            t: out.t,
          };
    const before = p.env.resolve(o.as.name);
    if (cmd.mode !== 'outputnew' || !before || alwaysNull(before)) {
      defs.set(o.as.name, found);
      return;
    }
    const t = unifiedKind([before.t, found.t]);
    defs.set(o.as.name, { e: coalesce(convert(before, t), convert(found, t)), t });
  });
  p.env = new OverlayEnv(p.env, defs);
}

/**
 * The lookup's rows grouped by their match values (lower-cased when matching ignores case):
 * each group's output values in file order, at most max_matches rows' worth; one value when
 * max_matches is 1. Columns k1.. (the keys) and o1.. (the outputs) of the returned stage.
 */
function groupedMatches(
  p: PlannerState,
  table: LookupTable,
  keys: string[],
  outputs: { field: FieldName }[],
): { matches: Stage; norm: (e: Expr) => Expr; outCols: { name: string; t: 'str' | 'mv' }[] } {
  const rows = lookupStage(table, (from) => p.addStage(from), p.ctx.fresh('l'));
  const norm = (e: Expr): Expr => (table.caseSensitive ? e : fn('lower', e));
  const field = (name: string): TE => rows.env.resolve(name) as TE;
  let keyExprs = keys.map((k) => norm(toStr(field(k))));
  let value = field;
  let ord = rows.row.e;
  let rank: Expr | undefined;
  let matches = rows.stage;
  // a key can only have more than max_matches rows when the table has more rows than that:
  // then the rows are ranked per key first, and the groups read the ranked rows
  if (table.rows.length > table.maxMatches) {
    const ranked = rows.stage;
    matches = p.addStage({ kind: 'stage', stage: ranked });
    const project = (name: string, e: Expr): Expr => {
      ranked.outputs.set(name, e);
      return { k: 'col', scope: ranked.alias, path: [name] };
    };
    rank = project('hunt_rank', { k: 'win', f: 'row_number', a: [], partition: keyExprs, order: [{ e: ord }] });
    keyExprs = keyExprs.map((k, i) => project(`k${i + 1}`, k));
    ord = project('hunt_row', ord);
    // only the output fields cross over
    value = (name) => ({ e: project(`f${table.fields.indexOf(name) + 1}`, field(name).e), t: field(name).t });
  }
  keyExprs.forEach((k, i) => matches.outputs.set(`k${i + 1}`, k));
  matches.groupBy.push(...keyExprs);
  const outCols = outputs.map((o, i) => {
    const v = value(o.field.name);
    const filter = and(notNull(v.e), ...(rank ? [bin('<=', rank, lit(table.maxMatches))] : []));
    const list: Expr = { k: 'agg', f: 'array_agg', a: [v.e], filter, order: [{ e: ord }] };
    // a stored multivalue field: its values, row after row
    const values = v.t === 'mv' ? fn('arrayFlatten', list) : list;
    const single = table.maxMatches === 1 && v.t !== 'mv';
    const name = `o${i + 1}`;
    matches.outputs.set(name, single ? fn('elementAt', values, lit(1)) : values);
    return { name, t: single ? ('str' as const) : ('mv' as const) };
  });

  return { matches, norm, outCols };
}
