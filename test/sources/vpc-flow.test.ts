/**
 * Security Lake VPC Flow (OCSF 4001) as a source: import recognises its records per record and
 * lands them in their own table (v1 rc.2 records converted), `aws:asl:vpcflow` and the add-on's
 * `aws:cloudwatchlogs:vpcflow` read it on the local lake, Athena reads Security Lake's tables per
 * region and version, and configuration takes `sources.security_lake_vpc_flow`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { beforeAll, describe, expect, test } from 'vitest';
import { vpcFlowRecord } from '../../src/demo/vpc-flow-record.js';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importFiles } from '../../src/lake/import.js';
import { classTables } from '../../src/sources/security-lake-class/athena.js';
import { vpcFlowV1Table } from '../../src/sources/vpc-flow/tables.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { configFiles } from '../support/config-files.js';
import { macrosWith } from '../support/hunt.js';
import { ACCOUNT, DAY_WINDOW as WINDOW, flow, rc2Flow as rc2, T0 } from '../support/network-day.js';
import { sampleColumns } from '../support/reference-schemas.js';
import { writeSecurityLakeParquet } from '../support/security-lake-parquet.js';
import { filesUnder, ndjson, query, tempDirs, writeText } from '../lake/helpers.js';

const tmp = tempDirs();

describe('Security Lake VPC Flow in the local lake', () => {
  let lake: string;
  let summary: Awaited<ReturnType<typeof importFiles>>;
  beforeAll(async () => {
    const dir = await tmp();
    lake = join(dir, 'lake');
    const other = { ...vpcFlowRecord(flow()), metadata: { product: { name: 'Some Firewall' }, version: '1.1.0' } };
    const file = await writeText(
      dir,
      'mixed.jsonl',
      ndjson([
        vpcFlowRecord(flow()),
        vpcFlowRecord(flow()), // the same flow again: one row (no metadata.uid: the row's hash is its key)
        vpcFlowRecord(flow({ srcPort: 40001, action: 'ACCEPT' })),
        rc2(flow({ timeMs: T0 + 60_000, srcPort: 40002, account: '345678901234', region: 'us-west-2' })),
        other, // Network Activity from another product: no table for it
        { ...vpcFlowRecord(flow({ srcPort: 40003 })), time: 'noon' },
      ]),
    );
    summary = await importFiles(lake, [file]);
  });

  test('records land in their own table, partitioned as Security Lake does, repeats once', async () => {
    const tables = summary as unknown as Record<string, { added: number; duplicates: number }>;
    expect(tables.vpcFlow).toEqual({ added: 3, duplicates: 1 });
    expect(tables.securityLake).toMatchObject({ added: 0 });
    expect(summary.files[0]!.problems).toEqual([
      'line 5: OCSF class 4001 (Network Activity) from Some Firewall: hunt has no local table for it',
      'line 6: time "noon" is not epoch milliseconds',
    ]);
    const files = (await filesUnder(lake)).filter((f) => f.startsWith('security_lake/vpc_flow_2_0/'));
    expect(files.map((f) => f.replace(/part-.*$/, ''))).toEqual(
      expect.arrayContaining([
        'security_lake/vpc_flow_2_0/region=us-east-1/accountid=210987654321/time_dt_day=2026-11-18/',
        'security_lake/vpc_flow_2_0/region=us-west-2/accountid=345678901234/time_dt_day=2026-11-18/',
      ]),
    );
  });

  test('a source version 1 record is converted to the 1.1 columns', async () => {
    const rows = await query(
      lake,
      `SELECT cloud.account.uid AS account, start_time_dt, time_dt, src_endpoint.port AS port, disposition_id ` +
        `FROM security_lake_vpc_flow_2_0 WHERE src_endpoint.port = 40002`,
    );
    expect(rows).toEqual([
      {
        account: '345678901234',
        start_time_dt: '2026-11-18 10:00:00',
        time_dt: '2026-11-18 10:01:00',
        port: 40002,
        disposition_id: 2,
      },
    ]);
  });

  test('both sourcetypes search it', async () => {
    const engine = await DuckdbEngine.open(lake);
    try {
      const run = async (search: string) => {
        const t = translateSearch(search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
        return (await engine.query({ sql: t.sql, params: bindParams(t.slots, WINDOW) })).rows;
      };
      expect(await run('sourcetype=aws:asl:vpcflow disposition=Blocked | stats count by src_endpoint.ip')).toHaveLength(
        1,
      );
      const addon = await run(
        'sourcetype=aws:cloudwatchlogs:vpcflow | stats count by action protocol vendor_account interface_id src dest_port',
      );
      expect(addon.map((r) => Object.values(r).map(String))).toEqual(
        expect.arrayContaining([
          ['allowed', 'tcp', ACCOUNT, 'eni-0a1', '10.0.1.5', '443', '1'],
          ['blocked', 'tcp', ACCOUNT, 'eni-0a1', '10.0.1.5', '443', '1'],
          ['blocked', 'tcp', '345678901234', 'eni-0a1', '10.0.1.5', '443', '1'],
        ]),
      );
    } finally {
      await engine.close();
    }
  });
});

describe('Security Lake VPC Flow Parquet, source version 1', () => {
  test('a file with the real rc.2 sample schema, in the S3 layout: its rows in the VPC Flow table', async () => {
    const dir = await tmp();
    const file = join(dir, 'aws/VPC_FLOW/1.0/region=eu-west-1/accountId=345678901234/eventDay=20261118/f.parquet');
    await mkdir(dirname(file), { recursive: true });
    const columns = sampleColumns('1.0.0-rc.2_vpc_flow.parquet');
    await writeSecurityLakeParquet(file, [rc2(flow()), rc2(flow({ srcPort: 40009, action: 'ACCEPT' }))], {
      version: 'v1',
      columns,
    });
    const lake = join(dir, 'lake');
    const summary = await importFiles(lake, [file]);
    expect((summary as unknown as Record<string, { added: number }>).vpcFlow?.added).toBe(2);
    const rows = await query(
      lake,
      'SELECT region, accountid, cloud.account.uid AS account, disposition, start_time_dt FROM security_lake_vpc_flow_2_0 ORDER BY disposition',
    );
    expect(rows).toEqual([
      {
        region: 'eu-west-1',
        accountid: '345678901234',
        account: ACCOUNT,
        disposition: 'Allowed',
        start_time_dt: '2026-11-18 09:59:00',
      },
      {
        region: 'eu-west-1',
        accountid: '345678901234',
        account: ACCOUNT,
        disposition: 'Blocked',
        start_time_dt: '2026-11-18 09:59:00',
      },
    ]);
    // the sample has every column the v1 table reads, but for the table's own partitions
    const v1 = vpcFlowV1Table.columns.map((c) => c.name).filter((n) => !vpcFlowV1Table.partitions.includes(n));
    expect(v1.filter((n) => !columns.some((c) => c.name === n))).toEqual([]);
  });
});

describe('Security Lake VPC Flow in Athena', () => {
  const trino = new TrinoSQL();
  const search = 'sourcetype=aws:cloudwatchlogs:vpcflow action=blocked | stats count by src_ip vendor_account';

  test('Security Lake names its tables per region and version, pruned on time, region and account', () => {
    expect(classTables('vpc_flow', { version: 2, regions: [{ region: 'eu-west-1' }], accounts: [ACCOUNT] })).toEqual([
      {
        name: ['amazon_security_lake_glue_db_eu_west_1', 'amazon_security_lake_table_eu_west_1_vpc_flow_2_0'],
        partitions: [
          { kind: 'timestamp-range', column: 'time_dt' },
          { kind: 'values', column: 'region', of: 'region', values: ['eu-west-1'] },
          { kind: 'values', column: 'accountid', of: 'account', values: [ACCOUNT] },
        ],
      },
    ]);
    expect(classTables('vpc_flow', { version: 1, regions: [{ region: 'us-east-1' }] })[0]).toEqual({
      name: ['amazon_security_lake_glue_db_us_east_1', 'amazon_security_lake_table_us_east_1_vpc_flow_1_0'],
      partitions: [
        { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' },
        { kind: 'values', column: 'region', of: 'region', values: ['us-east-1'] },
      ],
    });
    expect(() => classTables('vpc_flow', { version: 2, regions: [{ region: 'us-east-1; drop' }] })).toThrow(
      /not an AWS region/,
    );
  });

  test('configuration binds both sourcetypes; v1 reads the rc.2 columns', () => {
    const files = configFiles('vpc-flow');
    const v2 = files.load('sources:\n  security_lake_vpc_flow:\n    regions: [us-west-2]\n');
    const v1 = files.load('sources:\n  security_lake_vpc_flow:\n    version: 1\n    regions: [us-west-2]\n');
    for (const [config, table, account] of [
      [v2, 'amazon_security_lake_table_us_west_2_vpc_flow_2_0', '"cloud"."account"."uid"'],
      [v1, 'amazon_security_lake_table_us_west_2_vpc_flow_1_0', '"cloud"."account_uid"'],
    ] as const) {
      for (const st of ['aws:asl:vpcflow', 'aws:cloudwatchlogs:vpcflow']) {
        expect(config.athenaStorage[st]?.tables[0]?.name[1]).toBe(table);
      }
      const t = translateSearch(search, {
        dialect: 'athena',
        macros: macrosWith(),
        zone: 'UTC',
        storage: config.athenaStorage,
      });
      expect(t.sql).toContain(`"${table}"`);
      expect(t.sql).toContain(account);
      expect(trino.validate(t.sql)).toEqual([]);
    }
    expect(v1.athenaStorage['aws:cloudwatchlogs:vpcflow']?.tables[0]?.partitions[0]).toMatchObject({
      columns: ['eventday'],
    });
    expect(files.refusal('sources:\n  security_lake_vpc_flow:\n    version: 3\n    regions: [us-east-1]\n')).toMatch(
      /security_lake_vpc_flow\.version/,
    );
    expect(
      files.refusal(
        'sources:\n  security_lake_vpc_flow:\n    regions: [us-east-1]\n    tables: {eu-west-1: {table: x}}\n',
      ),
    ).toMatch(/not in `regions`/);
  });
});
