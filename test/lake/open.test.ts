import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRecords } from '../../src/lake/import.js';
import { LOCAL_TABLES } from '../../src/lake/layout.js';
import { openLake, viewColumns } from '../../src/lake/open.js';
import { duckdbType } from '../../src/sources/table-schema.js';
import { ctEvent, ocsfRecord, query, tempDirs } from './helpers.js';

const tmp = tempDirs();

/** The view's columns as DuckDB describes them. */
async function described(lake: string, view: string): Promise<{ name: string; type: string }[]> {
  const rows = await query(lake, `SELECT column_name, column_type FROM (DESCRIBE ${view})`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** What the view must have: the table's columns with their types, then partition columns as VARCHAR. */
function expected(table: (typeof LOCAL_TABLES)[keyof typeof LOCAL_TABLES]): { name: string; type: string }[] {
  const cols = table.schema.columns.map((c) => ({ name: c.name, type: duckdbType(c.type).replaceAll('"', '') }));
  const extra = table.partitions.filter((p) => !cols.some((c) => c.name === p));
  return [...cols, ...extra.map((name) => ({ name, type: 'VARCHAR' }))];
}

const normalise = (cols: { name: string; type: string }[]): { name: string; type: string }[] =>
  cols.map((c) => ({ name: c.name, type: c.type.replaceAll('"', '').replaceAll(' ', '') }));

describe('openLake', () => {
  it('has typed, queryable, empty views on an empty (even missing) lake', async () => {
    const lake = join(await tmp(), 'never-created');
    for (const table of Object.values(LOCAL_TABLES)) {
      expect(normalise(await described(lake, table.name))).toEqual(normalise(expected(table)));
      expect(await query(lake, `SELECT count(*) AS n FROM ${table.name}`)).toEqual([{ n: '0' }]);
    }
    const rows = await query(
      lake,
      `SELECT useridentity.sessioncontext.sessionissuer.username AS u FROM cloudtrail
       WHERE concat(year, month, day) BETWEEN ? AND ? AND eventname = 'PutImage'`,
      ['20240101', '20240102'],
    );
    expect(rows).toEqual([]);
    expect(
      await query(lake, `SELECT max(time_dt) AS m FROM security_lake_cloud_trail_mgmt_2_0 WHERE accountid = '1'`),
    ).toEqual([{ m: null }]);
  });

  it('gives views over files exactly the table columns plus partition columns', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [ocsfRecord()] });
    for (const table of Object.values(LOCAL_TABLES)) {
      expect(normalise(await described(lake, table.name))).toEqual(normalise(expected(table)));
      expect(viewColumns(table).map((c) => c.name)).toEqual(expected(table).map((c) => c.name));
    }
    // the dedup key stored in the files stays hidden
    expect(
      await query(lake, `SELECT count(*) AS n FROM (DESCRIBE cloudtrail) WHERE column_name LIKE '%hunt%'`),
    ).toEqual([{ n: '0' }]);
  });

  it('works with quotes, spaces and glob characters in the lake path', async () => {
    const lake = join(await tmp(), `it's a [lake] *?`, 'x');
    await mkdir(lake, { recursive: true });
    await importRecords(lake, { cloudtrail: [ctEvent({ eventName: 'Quoted' })], ocsf: [ocsfRecord()] });
    expect(await query(lake, 'SELECT eventname FROM cloudtrail')).toEqual([{ eventname: 'Quoted' }]);
    expect(await query(lake, 'SELECT count(*) AS n FROM security_lake_cloud_trail_mgmt_2_0')).toEqual([{ n: '1' }]);
  });

  it('sees files imported after it was opened (views over files re-read the directory)', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
    const db = await openLake(lake);
    try {
      await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
      const r = await db.connection.runAndReadAll('SELECT count(*) AS n FROM cloudtrail');
      expect(r.getRowObjectsJson()).toEqual([{ n: '2' }]);
    } finally {
      await db.close();
    }
  });

  it('runs in UTC and keeps partition columns as strings', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, {
      cloudtrail: [ctEvent({ eventTime: '2024-01-05T03:00:00Z' })],
      ocsf: [ocsfRecord({ accountid: '000123456789' })],
    });
    expect(await query(lake, `SELECT current_setting('TimeZone') AS tz`)).toEqual([{ tz: 'UTC' }]);
    expect(await query(lake, `SELECT typeof(year) AS y, typeof(month) AS m, year, month, day FROM cloudtrail`)).toEqual(
      [{ y: 'VARCHAR', m: 'VARCHAR', year: '2024', month: '01', day: '05' }],
    );
    // accountid keeps its leading zeros (autocast would have made it a number)
    expect(
      await query(lake, `SELECT accountid, typeof(accountid) AS t FROM security_lake_cloud_trail_mgmt_2_0`),
    ).toEqual([{ accountid: '000123456789', t: 'VARCHAR' }]);
  });

  it('prunes files by partition with prepared parameters', async () => {
    const lake = join(await tmp(), 'lake');
    const events = [1, 2, 3, 4, 5, 6].flatMap((d) =>
      ['us-east-1', 'eu-west-1'].map((r) => ctEvent({ awsRegion: r, eventTime: `2024-04-0${d}T08:00:00Z` })),
    );
    await importRecords(lake, { cloudtrail: events, ocsf: [] });
    const db = await openLake(lake);
    try {
      const plan = await db.connection.runAndReadAll(
        'EXPLAIN ANALYZE SELECT count(*) FROM cloudtrail WHERE concat(year, month, day) BETWEEN ? AND ?',
        ['20240402', '20240403'],
      );
      const text = plan
        .getRows()
        .map((r) => String(r[1]))
        .join('\n');
      expect(text).toMatch(/Scanning Files: 4\/12/);
      const n = await db.connection.runAndReadAll(
        'SELECT count(*) AS n FROM cloudtrail WHERE concat(year, month, day) BETWEEN ? AND ?',
        ['20240402', '20240403'],
      );
      expect(n.getRowObjectsJson()).toEqual([{ n: '4' }]);
    } finally {
      await db.close();
    }
  });
});
