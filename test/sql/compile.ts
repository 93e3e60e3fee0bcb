/** The SQL the rows of the compiler tests compare: a whole query, or the part a row is about. */
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import type { DialectName } from '../../src/sql/dialect.js';
import type { BatchSpec } from '../../src/translate/batch-plan.js';
import { translateBatched, translateSearch } from '../../src/translate/translate.js';
import { TEST_LOOKUPS } from '../support/lookups.js';

const macros = new LayeredMacros([loadMacroDir('detections/macros')]);
const opts = (dialect: DialectName) => ({ dialect, macros, zone: 'UTC', lookups: TEST_LOOKUPS });

/**
 * What every CloudTrail query of a dialect has, written once: the table, the event time, and
 * the window filter (partition days and event time) that opens the first stage's WHERE. The
 * rows show them as {cloudtrail}, {time} and {window}, so the rest reads the same in both
 * dialects wherever it is the same.
 */
const SHAPES: Record<DialectName, { table: string; time: string; days: string }> = {
  athena: {
    table: '"default"."cloudtrail_logs"',
    time: 'to_unixtime(try(from_iso8601_timestamp("t"."eventtime")))',
    days: '(("t"."timestamp" >= ?) AND ("t"."timestamp" <= ?))',
  },
  duckdb: {
    table: '"cloudtrail"',
    time: 'epoch(TRY_CAST("t"."eventtime" AS TIMESTAMPTZ))',
    days: '(((("t"."year" || "t"."month") || "t"."day") >= ?) AND ((("t"."year" || "t"."month") || "t"."day") <= ?))',
  },
};

function normalized(sql: string, dialect: DialectName): string {
  const { table, time, days } = SHAPES[dialect];
  return sql
    .replaceAll(`${days} AND (${time} >= ?) AND (${time} < ?)`, '{window}')
    .replaceAll(time, '{time}')
    .replaceAll(`from ${table} as "t"`, 'from {cloudtrail} as "t"');
}

/** The whole query for `` `cloudtrail` `` followed by `spl` (with {cloudtrail}, {time}, {window}). */
export const querySql = (spl: string, dialect: DialectName): string =>
  normalized(translateSearch(`\`cloudtrail\` ${spl}`, opts(dialect)).sql, dialect);

/** The query over many windows (hourly unless `spec` says otherwise), or why it cannot be. */
export function batchedSql(spl: string, dialect: DialectName, spec: BatchSpec = HOURLY): string {
  const t = translateBatched(`\`cloudtrail\` ${spl}`, opts(dialect), spec);
  return t.ok ? normalized(t.translation.sql, dialect) : `refused: ${t.reason}`;
}
const HOURLY: BatchSpec = { windowSeconds: 3600, offsetSeconds: 0 };

/** The SQL of the eval expression `expr` alone: the column x of `eval x=expr | table x`. */
export function evalSql(expr: string, dialect: DialectName): string {
  const sql = querySql(`| eval x=${expr} | table x`, dialect);
  const last = sql.lastIndexOf(') select ');
  const from = last < 0 ? 'select '.length : last + ') select '.length;
  const end = sql.indexOf(' as "x" from ', from);
  if (end < 0) throw new Error(`no column x in ${sql}`);
  return sql.slice(from, end);
}

/**
 * The condition a search (terms, `| search ...` or `| where ...`) adds to the first stage: the
 * query's text beyond the same query without it (the window filter, columns and order stay).
 */
export function filterSql(spl: string, dialect: DialectName): string {
  const base = querySql('| table _time', dialect);
  const sql = querySql(`${spl} | table _time`, dialect);
  let p = 0;
  while (p < base.length && base[p] === sql[p]) p++;
  let s = 0;
  while (s < base.length - p && base[base.length - 1 - s] === sql[sql.length - 1 - s]) s++;
  const added = sql.slice(p, sql.length - s);
  return added.startsWith(' AND ') ? added.slice(' AND '.length) : added;
}
