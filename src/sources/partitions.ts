import type { DateTime } from 'luxon';
import type { PhysicalTable } from './storage.js';

/** What a query over one window reads of one table: the partitions its predicates keep. */
export interface TouchedPartitions {
  /** the table, `database.table` */
  table: string;
  /** the partition columns its predicates prune on */
  columns: string[];
  /** the UTC days the window touches, yyyy-MM-dd */
  days: string[];
  /** the regions kept, or null: every region (the table is not pruned on region) */
  regions: string[] | null;
  /** the accounts kept, or null: every account */
  accounts: string[] | null;
}

/**
 * The UTC days a window touches: earliest inclusive, latest exclusive, so a window ending at
 * midnight does not touch the next day (the last day is the day of its last millisecond, as
 * the partition parameters are bound: src/sql/params.ts).
 */
export function windowDays(earliest: DateTime, latest: DateTime): string[] {
  const first = earliest.toUTC().startOf('day');
  const last = latest.toUTC().minus({ milliseconds: 1 }).startOf('day');
  const days: string[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) days.push(d.toFormat('yyyy-MM-dd'));
  return days;
}

/** The partitions of `table` a query over the window reads, from its partition rules. Pure. */
export function touchedPartitions(table: PhysicalTable, earliest: DateTime, latest: DateTime): TouchedPartitions {
  const columns: string[] = [];
  let timed = false;
  let regions: string[] | null = null;
  let accounts: string[] | null = null;
  for (const rule of table.partitions) {
    if (rule.kind === 'values') {
      columns.push(rule.column);
      if (rule.of === 'region') regions = [...rule.values];
      else accounts = [...rule.values];
    } else {
      timed = true;
      columns.push(...(rule.kind === 'day-range' ? rule.columns : [rule.column]));
    }
  }
  // a table without a time partition is read whole, whatever the window
  return { table: table.name.join('.'), columns, days: timed ? windowDays(earliest, latest) : [], regions, accounts };
}
