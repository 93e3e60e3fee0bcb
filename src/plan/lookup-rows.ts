/**
 * A lookup table's rows as a stage of the query: written in as VALUES (literals, as the
 * detection's own values are), one column per lookup field plus the row's position in the
 * file, so several matches keep file order.
 */
import type { FieldName } from '../spl/ast.js';
import { ClosedEnv, type Env, sqlName } from './env.js';
import { cast, FALSE, lit, type Expr, type Stage, type ValueType } from './ir.js';
import type { LookupCatalog, LookupTable, LookupValue } from './lookup-table.js';
import type { PlanContext } from './context.js';
import type { TE } from './typed.js';

/** The column holding each row's 1-based position in the lookup. */
const ROW_COLUMN = 'hunt_row';

export interface LookupStage {
  stage: Stage;
  /** the lookup's fields as columns of `stage`'s FROM */
  env: Env;
  /** the row's position in the file */
  row: TE;
  /** each field's kind: text, or multivalue when some stored row holds a list */
  kinds: Map<string, ValueType>;
}

/** A stage reading the lookup's rows (an empty lookup reads one row of nulls and keeps none). */
export function lookupStage(table: LookupTable, addStage: (from: Stage['from']) => Stage, alias: string): LookupStage {
  const used = new Set<string>([ROW_COLUMN]);
  const columns = table.fields.map((f) => {
    const base = sqlName(f);
    let col = base;
    for (let n = 2; used.has(col); n++) col = `${base}_${n}`;
    used.add(col);
    return col;
  });
  const kinds = new Map<string, ValueType>(
    table.fields.map((f, i) => [f, table.rows.some((r) => Array.isArray(r[i])) ? 'mv' : 'str']),
  );
  const cell = (v: LookupValue, t: ValueType): Expr => {
    if (v === null || (Array.isArray(v) && v.length === 0))
      return cast(lit(null), t === 'mv' ? 'varchar[]' : 'varchar');
    if (Array.isArray(v)) return { k: 'array', items: v.map(lit) };
    return t === 'mv' ? { k: 'array', items: [lit(v)] } : lit(v);
  };
  const empty = table.rows.length === 0;
  const source = empty ? [table.fields.map(() => null)] : table.rows;
  const rows = source.map((r, n) => [
    ...table.fields.map((f, i) => cell(r[i] ?? null, kinds.get(f) ?? 'str')),
    lit(empty ? 0 : n + 1),
  ]);
  const stage = addStage({ kind: 'values', alias, lookup: table.name, columns: [...columns, ROW_COLUMN], rows });
  if (empty) stage.where.push(FALSE);
  const env = new ClosedEnv(
    alias,
    table.fields.map((name, i) => ({ name, column: columns[i] as string, t: kinds.get(name) ?? 'str' })),
  );
  return { stage, env, row: { e: { k: 'col', scope: alias, path: [ROW_COLUMN] }, t: 'int' }, kinds };
}

/** The lookup a command names, or an error naming it and the lookups there are. */
export function findLookup(lookups: LookupCatalog, name: FieldName, ctx: PlanContext): LookupTable {
  const table = lookups.get(name.name) ?? lookups.get(name.name.replace(/\.csv$/i, ''));
  if (table) return table;
  const known = [...lookups.keys()].sort();
  throw ctx.error(
    known.length === 0
      ? `unknown lookup \`${name.name}\`: no lookups are configured (lookups: in the configuration, or a lookups directory beside the detections)`
      : `unknown lookup \`${name.name}\` (defined: ${known.join(', ')})`,
    name.span,
  );
}

/** A field of the lookup, or an error naming the lookup, the field and its columns. */
export function lookupField(table: LookupTable, field: FieldName, ctx: PlanContext): void {
  if (!table.fields.includes(field.name)) {
    throw ctx.error(`lookup ${table.name} has no field ${field.name} (fields: ${table.fields.join(', ')})`, field.span);
  }
}
