import { field, raw, sqlIdent, sqlString } from '../import-sql.js';
import { duckdbType, type Column, type ColumnType } from '../table-schema.js';
import { RC2_FIELDS, STATUS_CAPTIONS, type Rc2Field } from './rc2-fields.js';

/**
 * The import's SQL for Security Lake records of either version, generated from the one field
 * table (rc2-fields.ts): per stored column whose content differs between the versions,
 * `CASE WHEN <rc.2 record> THEN <built from the rc.2 keys> ELSE <the usual conversion> END`.
 * Both arms come from one builder, so they have the same type; the ELSE arm is what the lake's
 * generic conversion (normalise-sql.ts convertSql) makes: all-string subtrees one CAST, typed
 * leaves TRY_CAST (a bad value is NULL, not a failed import), timestamps hunt_ts.
 */

/** True for an OCSF 1.0.0-rc.x record (Security Lake source version 1), read per record. */
export const IS_RC2 = `coalesce(starts_with(${field(raw('metadata'), 'version')}, '1.0.0-rc'), false)`;

/** An SPL-style path: `resources{}.owner.account.uid` → segments with the array marks. */
function segments(path: string): { key: string; each: boolean }[] {
  return path.split('.').map((s) => (s.endsWith('{}') ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
}

/** Where paths under `prefix` (`resources{}.`) are read from: a lambda's element. */
interface Scope {
  prefix: string;
  base: string;
  columns: Column[];
}

/**
 * SQL reading `path` (rc.2 side) from the raw record, walking `columns` to tell struct fields
 * from map keys. Throws for a path the columns do not have (a table entry naming nothing).
 */
function readPath(path: string, scopes: Scope[], top: Column[]): string {
  const scope = [...scopes].reverse().find((s) => path.startsWith(s.prefix));
  const rest = scope ? path.slice(scope.prefix.length) : path;
  let columns = scope ? scope.columns : top;
  let expr = scope ? scope.base : '';
  const segs = segments(rest);
  for (const [i, seg] of segs.entries()) {
    if (seg.each) throw new Error(`rc.2 path ${path}: arrays are read element by element only`);
    const col = columns.find((c) => c.name === seg.key);
    if (!col) throw new Error(`rc.2 path ${path}: no field ${seg.key}`);
    expr = expr === '' ? raw(col.name) : field(expr, col.name);
    // the rest of the path is one map key (`unmapped.requestParameters.userName` is flat)
    if (col.type.kind === 'map' && i < segs.length - 1) {
      return `${expr}[${sqlString(
        segs
          .slice(i + 1)
          .map((x) => x.key)
          .join('.'),
      )}]`;
    }
    columns = col.type.kind === 'struct' ? col.type.fields : [];
  }
  return expr;
}

/** The 1.1 leaf of type `t` from the raw text `expr`, converted as an entry says. */
function leafSql(t: ColumnType, expr: string, convert: Rc2Field['convert']): string {
  if (convert === 'epoch-ms') return `hunt_epoch_ms(TRY_CAST(${expr} AS BIGINT))`;
  if (convert === 'status-id') {
    const arms = Object.entries(STATUS_CAPTIONS).map(([id, name]) => `WHEN ${id} THEN ${sqlString(name)}`);
    return `CASE TRY_CAST(${expr} AS INTEGER) ${arms.join(' ')} END`;
  }
  switch (t.kind) {
    case 'string':
      return expr;
    case 'timestamp':
      return `hunt_ts(${expr})`;
    default:
      return `TRY_CAST(${expr} AS ${duckdbType(t)})`;
  }
}

function onlyStrings(t: ColumnType): boolean {
  if (t.kind === 'string') return true;
  if (t.kind === 'struct') return t.fields.every((f) => onlyStrings(f.type));
  if (t.kind === 'array') return onlyStrings(t.element);
  if (t.kind === 'map') return onlyStrings(t.key) && onlyStrings(t.value);
  return false;
}

interface Build {
  /** rc.2 arm (the table's entries apply) or the 1.1 arm (every path reads itself) */
  rc2: boolean;
  fields: readonly Rc2Field[];
  /** the rc.2 table's columns, for reading the entries' rc.2 paths */
  rc2Columns: Column[];
}

/** Entries whose 1.1 name is `path` or under it. */
function touched(path: string, b: Build): Rc2Field[] {
  const under = (v11: string): boolean =>
    v11 === path || v11 === `${path}{}` || v11.startsWith(`${path}.`) || v11.startsWith(`${path}{}.`);
  return b.rc2 ? b.fields.filter((f) => under(f.v11)) : [];
}

/**
 * SQL for the 1.1 value of type `t` at SPL path `path`, whose same-named raw value is `expr`.
 * Untouched subtrees are converted as normalise-sql.ts converts them.
 */
function buildSql(t: ColumnType, path: string, expr: string, b: Build, scopes: Scope[], depth: number): string {
  const mine = touched(path, b);
  if (mine.length === 0 && onlyStrings(t)) return t.kind === 'string' ? expr : `CAST(${expr} AS ${duckdbType(t)})`;
  const here = mine.filter((f) => f.v11 === path);
  if (here.length > 0) {
    const reads = here.map((f) => leafSql(t, readPath(f.rc2, scopes, b.rc2Columns), f.convert));
    return reads.length === 1 ? (reads[0] as string) : `coalesce(${reads.join(', ')})`;
  }
  switch (t.kind) {
    case 'struct': {
      const packed = t.fields.map(
        (f) => `${sqlIdent(f.name)} := ${buildSql(f.type, `${path}.${f.name}`, field(expr, f.name), b, scopes, depth)}`,
      );
      // a struct 1.1 introduced (actor.user.account) is absent in rc.2: it exists when a source does
      const sources = mine.map((f) => `${readPath(f.rc2, scopes, b.rc2Columns)} IS NULL`);
      const isNull = [`${expr} IS NULL`, ...sources].join(' AND ');
      return `CASE WHEN ${isNull} THEN NULL ELSE struct_pack(${packed.join(', ')}) END`;
    }
    case 'array': {
      const e = `e${depth}`;
      const prefix = `${path}{}.`;
      const element = b.rc2Columns.length === 0 ? [] : elementColumns(path, scopes, b.rc2Columns);
      const inner = [...scopes, { prefix, base: e, columns: element }];
      return `list_transform(${expr}, lambda ${e}: ${buildSql(t.element, `${path}{}`, e, b, inner, depth + 1)})`;
    }
    case 'map':
      throw new Error(`${path}: a map column cannot take rc.2 entries`);
    default:
      return leafSql(t, expr, undefined);
  }
}

/** The rc.2 table's element fields of the array at 1.1 path `path` (the same name in both). */
function elementColumns(path: string, scopes: Scope[], top: Column[]): Column[] {
  const scope = [...scopes].reverse().find((s) => path.startsWith(s.prefix));
  const rest = scope ? path.slice(scope.prefix.length) : path;
  let columns = scope ? scope.columns : top;
  let type: ColumnType | undefined;
  for (const seg of segments(rest)) {
    type = columns.find((c) => c.name === seg.key)?.type;
    columns = type?.kind === 'struct' ? type.fields : [];
  }
  return type?.kind === 'array' && type.element.kind === 'struct' ? type.element.fields : [];
}

/** Does the 1.1 path exist among `columns` (the lake's table)? */
export function hasPath(path: string, columns: Column[]): boolean {
  let cols = columns;
  let type: ColumnType | undefined;
  for (const seg of segments(path)) {
    if (type?.kind === 'map') return true;
    type = cols.find((c) => c.name === seg.key)?.type;
    if (!type) return false;
    if (seg.each) {
      if (type.kind !== 'array') return false;
      type = type.element;
    }
    cols = type.kind === 'struct' ? type.fields : [];
  }
  return true;
}

/**
 * The `columns` overrides of the import rule: every stored column some entry's 1.1 name falls
 * in, as `CASE WHEN IS_RC2 THEN <rc.2 arm> ELSE <1.1 arm> END`.
 */
export function rc2ColumnOverrides(
  lakeColumns: Column[],
  rc2Columns: Column[],
  fields: readonly Rc2Field[] = RC2_FIELDS,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const col of lakeColumns) {
    if (!fields.some((f) => hasPath(f.v11, lakeColumns) && segments(f.v11)[0]?.key === col.name)) continue;
    const usual = buildSql(col.type, col.name, raw(col.name), { rc2: false, fields, rc2Columns: [] }, [], 0);
    const rc2 = buildSql(col.type, col.name, raw(col.name), { rc2: true, fields, rc2Columns }, [], 0);
    out[col.name] = `CASE WHEN ${IS_RC2} THEN ${rc2} ELSE ${usual} END`;
  }
  return out;
}

/**
 * A raw 1.1 value read from a record of either version: its own path in a 1.1 record, its
 * table entries in an rc.2 one (for values the import reads outside the columns: partitions).
 */
export function eitherVersion(v11: string, rc2Columns: Column[], fields: readonly Rc2Field[] = RC2_FIELDS): string {
  const reads = fields.filter((f) => f.v11 === v11).map((f) => readPath(f.rc2, [], rc2Columns));
  if (reads.length === 0) throw new Error(`${v11}: no rc.2 entry`);
  const [first, ...more] = segments(v11);
  const own = more.reduce((e, s) => field(e, s.key), raw(first?.key ?? ''));
  return `CASE WHEN ${IS_RC2} THEN ${reads.length === 1 ? reads[0] : `coalesce(${reads.join(', ')})`} ELSE ${own} END`;
}

/** The top-level rc.2 columns the entries read, to enter the raw structure (ImportRule.extraRaw). */
export function rc2RawColumns(rc2Columns: Column[], fields: readonly Rc2Field[] = RC2_FIELDS): Column[] {
  const tops = new Set(fields.map((f) => segments(f.rc2)[0]?.key));
  return rc2Columns.filter((c) => tops.has(c.name));
}
