/**
 * Several tables as one source, and a Security Lake v1 table, run for real: the same renderer
 * the Athena SQL comes from, in the DuckDB dialect over a local lake, so what the union and the
 * v1 field map do to results is checked on events, not only on SQL text.
 *
 * The local lake is partitioned by region (and accountid) like the Athena tables, so a storage
 * target of two branches over the same local table, each kept to other regions, is exactly the
 * shape of a two-region Athena source.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import type { Detection } from '../../src/detections/model.js';
import { toResultRows } from '../../src/runner/results.js';
import { LOCAL_LAKE, type PartitionRule, type StorageTarget } from '../../src/sources/bindings.js';
import { AWS_ASL_V1 } from '../../src/sources/security-lake/fields.js';
import { duckdbType } from '../../src/sources/table-schema.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { ct, iamUser, ocsf } from '../support/events.js';
import { macrosWith, makeLake, pick, type TestLake } from '../support/hunt.js';
import { shared } from '../support/shared.js';

const shipped = loadCatalog('detections').detections;
const window = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};

const CT_DAYS: PartitionRule = { kind: 'day-range', columns: ['year', 'month', 'day'], format: 'yyyyMMdd' };
const SL_DAYS: PartitionRule = { kind: 'day-range', columns: ['time_dt_day'], format: 'yyyy-MM-dd' };

/** Two regions read as two branches of one source, as two Athena tables would be. */
const TWO_REGIONS: StorageTarget = {
  'aws:cloudtrail': {
    tables: ['us-east-1', 'eu-west-1'].map((r) => ({
      name: ['cloudtrail'],
      partitions: [CT_DAYS, { kind: 'values', column: 'region', of: 'region', values: [r] }],
    })),
  },
  'aws:asl': {
    tables: ['us-east-1', 'eu-west-1'].map((r) => ({
      name: ['security_lake_cloud_trail_mgmt_2_0'],
      partitions: [
        SL_DAYS,
        { kind: 'values', column: 'region', of: 'region', values: [r] },
        { kind: 'values', column: 'accountid', of: 'account', values: ['111122223333', '444455556666'] },
      ],
    })),
  },
};

async function run(
  lake: TestLake,
  search: string,
  storage: StorageTarget,
): Promise<{ rows: Record<string, unknown>[]; sql: string }> {
  const t = translateSearch(search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC', storage });
  const result = await lake.engine.query({ sql: t.sql, params: bindParams(t.slots, window) });
  return { rows: toResultRows(result.rows, t.fields), sql: t.sql };
}

const detection = (name: string): Detection => pick(shipped, name);

describe('a source of several tables (UNION ALL, a branch per table)', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      cloudtrail: [
        ct({ time: '2026-11-18T21:30:00Z', who: iamUser('mallory'), region: 'us-east-1' }),
        ct({ time: '2026-11-18T22:10:00Z', who: iamUser('mallory'), region: 'eu-west-1' }),
        ct({ time: '2026-11-18T23:00:00Z', who: iamUser('oscar'), region: 'eu-west-1' }),
        // a region no branch keeps, and a day outside the window
        ct({ time: '2026-11-18T21:45:00Z', who: iamUser('trent'), region: 'ap-south-1' }),
        ct({ time: '2026-11-19T21:45:00Z', who: iamUser('victor'), region: 'us-east-1' }),
      ],
      ocsf: [
        ocsf({ time: '2026-11-18T21:40:00Z', userName: 'mallory', region: 'us-east-1' }),
        ocsf({ time: '2026-11-18T21:50:00Z', userName: 'mallory', region: 'eu-west-1', account: '444455556666' }),
        // an account no branch keeps
        ocsf({ time: '2026-11-18T21:55:00Z', userName: 'peggy', region: 'eu-west-1', account: '999999999999' }),
      ],
    });
  });
  afterAll(async () => lake?.close());

  test('CloudTrail: each branch reads its region once; events of other regions are not read', async () => {
    const d = detection('AWS ECR Container Upload Outside Business Hours');
    const { rows, sql } = await run(lake, d.search, TWO_REGIONS);
    expect(sql).toMatch(/ union all select /);
    // mallory's two uploads (one per region) are one row counting 2: no event twice, none lost;
    // trent's (ap-south-1) and victor's (the next day) are outside
    expect(rows.map((r) => [r.user, r.vendor_region, r.count])).toEqual([
      ['mallory', 'eu-west-1', 1],
      ['mallory', 'us-east-1', 1],
      ['oscar', 'eu-west-1', 1],
    ]);
    // the same detection over the whole local lake sees trent too: the branches did the pruning
    const whole = await run(lake, d.search, LOCAL_LAKE);
    expect(whole.rows.map((r) => r.user)).toEqual(['mallory', 'mallory', 'oscar', 'trent']);
    expect(whole.rows.filter((r) => r.user !== 'trent')).toEqual(rows);
  });

  test('Security Lake: region and account pruning per branch', async () => {
    const d = detection('ASL AWS ECR Container Upload Unknown User');
    const { rows } = await run(lake, d.search, TWO_REGIONS);
    expect(rows.map((r) => [r.user, r.vendor_account, r.vendor_region, r.count])).toEqual([
      ['arn:aws:iam::111122223333:user/mallory', '111122223333', 'us-east-1', 1],
      ['arn:aws:iam::444455556666:user/mallory', '444455556666', 'eu-west-1', 1],
    ]);
  });

  test('a subsearch reads the same union: append and a [search] term over several tables', async () => {
    const search =
      '`cloudtrail` eventName=PutImage [search `cloudtrail` eventName=PutImage userName=oscar | fields awsRegion] | stats count by userName awsRegion' +
      ' | append [search `cloudtrail` eventName=PutImage | stats count as n by userName]';
    const { rows, sql } = await run(lake, search, TWO_REGIONS);
    // three scans of the source (outer, filter, append), each a union of two pruned branches
    expect(sql.match(/ union all select /g)).toHaveLength(3);
    expect(rows).toEqual([
      // events in oscar's region (eu-west-1) only
      { userName: 'mallory', awsRegion: 'eu-west-1', count: 1 },
      { userName: 'oscar', awsRegion: 'eu-west-1', count: 1 },
      { userName: 'mallory', n: 2 },
      { userName: 'oscar', n: 1 },
    ]);
  });
});

describe('every ESCU corpus detection over several tables runs', () => {
  // DuckDB binds every column reference: a path the query reads that a branch does not select
  // fails here, on events, rather than in Athena
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      cloudtrail: [
        ct({ time: '2026-11-18T21:30:00Z', region: 'us-east-1' }),
        ct({ time: '2026-11-18T21:31:00Z', region: 'eu-west-1' }),
      ],
      ocsf: [ocsf({ time: '2026-11-18T21:40:00Z', region: 'us-east-1' })],
    });
  });
  afterAll(async () => lake?.close());
  const macros = new LayeredMacros([loadMacroDir(shared('escu', 'macros')), loadMacroDir('detections/macros')]);

  test('each compiles to a union per scan and DuckDB runs it', async () => {
    const all = (['cloudtrail', 'asl'] as const).flatMap((set) => loadCatalog(shared('escu', set)).detections);
    expect(all).toHaveLength(68);
    let ran = 0;
    for (const d of all) {
      let t: ReturnType<typeof translateSearch>;
      try {
        t = translateSearch(d.search, { dialect: 'duckdb', macros, zone: 'UTC', storage: TWO_REGIONS });
      } catch (err) {
        // the one refusal of the corpus (a lookup table, none configured here), whatever the storage
        expect((err as Error).message, d.name).toMatch(/^unknown lookup `s3_deletion_baseline`/);
        continue;
      }
      expect(t.sql, d.name).toMatch(/ union all select /);
      await expect(
        lake.engine.query({ sql: t.sql, params: bindParams(t.slots, window) }),
        d.name,
      ).resolves.toBeDefined();
      ran++;
    }
    expect(ran).toBe(67);
  });
});

describe('a Security Lake v1 table (OCSF 1.0.0-rc.2) read with the OCSF 1.1 names of the content', () => {
  let lake: TestLake;
  const V1: StorageTarget = {
    'aws:asl': {
      tables: [
        {
          name: ['sl_v1'],
          partitions: [
            { kind: 'day-range', columns: ['eventday'], format: 'yyyyMMdd' },
            { kind: 'values', column: 'region', of: 'region', values: ['us-east-1'] },
          ],
        },
      ],
      source: AWS_ASL_V1,
    },
  };

  /** A PutImage event as Security Lake v1 writes it (the OCSF rc.2 CloudTrail mapping). */
  const rc2 = (time: string, user: string, day: string): Record<string, unknown> => ({
    metadata: {
      product: { version: '1.08', name: 'CloudTrail', vendor_name: 'AWS', feature: { name: 'Management' } },
      uid: `uid-${user}-${time}`,
      profiles: ['cloud'],
      version: '1.0.0-rc.2',
    },
    time: Date.parse(time),
    cloud: { region: 'us-east-1', provider: 'AWS' },
    api: {
      response: { error: null, message: null },
      operation: 'PutImage',
      version: null,
      service: { name: 'ecr.amazonaws.com' },
      request: { uid: 'req-1' },
    },
    actor: {
      user: {
        type: 'IAMUser',
        name: user,
        uid: `AIDA${user.toUpperCase()}`,
        uuid: `arn:aws:iam::111122223333:user/${user}`,
        account_uid: '111122223333',
        credential_uid: 'AKIAEXAMPLE',
      },
      session: null,
      invoked_by: null,
      idp: null,
    },
    http_request: { user_agent: 'docker/24.0.7' },
    src_endpoint: { uid: null, ip: '198.51.100.7', domain: null },
    class_uid: 3005,
    status: 'Success',
    accountid: '111122223333',
    region: 'us-east-1',
    eventday: day,
  });

  beforeAll(async () => {
    lake = await makeLake({});
    const f = join(mkdtempSync(join(tmpdir(), 'hunt-v1-')), 'v1.jsonl');
    writeFileSync(
      f,
      [rc2('2026-11-18T21:30:00Z', 'mallory', '20261118'), rc2('2026-11-17T21:30:00Z', 'trent', '20261117')]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    // the table, typed from the v1 schema the compiler reads (so both agree on every column)
    const columns = AWS_ASL_V1.schema.columns
      .map((c) => `'${c.name}': '${duckdbType(c.type).replace(/'/g, "''")}'`)
      .join(', ');
    await lake.engine.query({
      sql: `CREATE TABLE sl_v1 AS SELECT * FROM read_json('${f}', format = 'newline_delimited', columns = {${columns}})`,
      params: [],
    });
  });
  afterAll(async () => lake?.close());

  test('actor.user.uid is the ARN (rc.2 uuid) and actor.user.account.uid the rc.2 account_uid, pruned on eventday', async () => {
    const d = detection('ASL AWS ECR Container Upload Unknown User');
    const { rows, sql } = await run(lake, d.search, V1);
    expect(sql).toContain('"t"."actor"."user"."uuid"');
    expect(sql).toContain('"t"."actor"."user"."account_uid"');
    // trent's event is on the day before the window: its eventday partition is not read
    expect(rows).toEqual([
      {
        user: 'arn:aws:iam::111122223333:user/mallory',
        action: 'PutImage',
        dest: 'ecr.amazonaws.com',
        user_agent: 'docker/24.0.7',
        src: '198.51.100.7',
        vendor_account: '111122223333',
        vendor_product: 'AWS',
        vendor_region: 'us-east-1',
        count: 1,
        firstTime: '2026-11-18T21:30:00',
        lastTime: '2026-11-18T21:30:00',
      },
    ]);
  });

  test('a 1.1 field rc.2 keeps elsewhere is read there; one with no counterpart is missing, and the compiler says so', () => {
    // api.request.data is unmapped['requestParameters'] in rc.2 (rc2-fields.ts)
    const d = detection('ASL AWS ECR Container Upload Outside Business Hours');
    const t = translateSearch(d.search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC', storage: V1 });
    expect(t.warnings).toEqual([]);
    expect(t.sql).toContain('requestParameters');
    // an rc.2 epoch needs a conversion an alias cannot make: created_time_dt stays missing on v1
    const missing = translateSearch('`amazon_security_lake` | stats count by actor.session.created_time_dt', {
      dialect: 'duckdb',
      macros: macrosWith(),
      zone: 'UTC',
      storage: V1,
    });
    expect(missing.warnings.map((w) => w.message)).toContain(
      'stats BY actor.session.created_time_dt: no source field or earlier command defines actor.session.created_time_dt, so every event is dropped and the search returns nothing',
    );
  });
});
