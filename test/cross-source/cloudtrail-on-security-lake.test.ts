/**
 * The CloudTrail detections (sourcetype aws:cloudtrail) read from Security Lake give the rows
 * they give on raw CloudTrail: every CloudTrail event of the corpus tests, imported once as
 * raw CloudTrail and once as Security Lake would store it (source version 2, OCSF 1.1; and
 * version 1, OCSF 1.0.0-rc.2, which the importer converts back), each detection run over all of
 * it on both. For Athena, each compiles against Security Lake v2 and v1 to Trino SQL reading
 * the management and data-event tables, each pruned on time, region and account.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileDirectory, type CompileOutcome } from '../../src/compile/compile.js';
import { loadConfig } from '../../src/config/config.js';
import { cloudtrailToOcsf } from '../../src/demo/ocsf.js';
import { loadDetection } from '../../src/detections/load.js';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importRecords } from '../../src/lake/import.js';
import { toResultRows } from '../../src/runner/results.js';
import { LOCAL_LAKE, type StorageTarget } from '../../src/sources/bindings.js';
import { READ_DEFAULT, storageFor } from '../../src/sources/read-from.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch, type Translation } from '../../src/translate/translate.js';
import { corpusEvents } from '../runner/corpus-lake.js';
import { macrosWith } from '../support/hunt.js';
import { toRc2 } from '../support/ocsf-rc2.js';
import { shared } from '../support/shared.js';

const dir = shared('escu', 'cloudtrail');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const stem = (f: string): string => basename(f, '.yml');

/**
 * Detections that return no row on the corpus events even on raw CloudTrail (their corpus test
 * asserts nothing fires, or needs a lookup, a window or a baseline the replayed corpus lacks).
 * Equal rows prove little for them; every other detection must return rows.
 */
const EMPTY_ON_CORPUS: Record<string, string> = {
  aws_defense_evasion_putbucketlifecycle: 'spath requestParameters{}: the object is no array, stats drops every event',
  aws_exfiltration_via_batch_service: 'JobCreated has no user name: stats by user drops every event',
  aws_ecr_container_upload_outside_business_hours: 'no corpus test has an ECR PutImage event',
  aws_ecr_container_upload_unknown_user: 'no corpus test has an ECR PutImage event',
};

/** Detections that compile for neither source, and why (the same error on both). */
const NOT_COMPILED: Record<string, string> = {
  detect_spike_in_s3_bucket_deletion: 'inputlookup: hunt has no lookup tables yet',
};

/** Detections that cannot give the same rows on Security Lake: a field with no OCSF home, and why. */
const NO_HOME: Record<string, string> = {};

const everything = {
  earliest: DateTime.fromISO('2000-01-01T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2100-01-01T00:00:00Z', { zone: 'utc' }),
};

/**
 * A row as compared: float aggregates (stdev, avg) depend on the order rows are summed in,
 * which differs with the lake layout, in the last bits only; 12 significant digits hold.
 */
function comparable(rows: Record<string, unknown>[]): unknown[] {
  const fix = (v: unknown): unknown =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(fix) : v;
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fix(v)])));
}

const lakes: { raw?: DuckdbEngine; v2?: DuckdbEngine; v1?: DuckdbEngine } = {};
const dirs: string[] = [];
let dataEvents = 0;

beforeAll(async () => {
  const events = (corpusEvents().cloudtrail ?? []) as Record<string, unknown>[];
  const ocsf = events.flatMap((e): Record<string, unknown>[] => {
    const o = cloudtrailToOcsf(e);
    return o ? [o] : [];
  });
  dataEvents = events.filter((e) => e.eventCategory === 'Data').length;
  const build = async (records: Parameters<typeof importRecords>[1]): Promise<DuckdbEngine> => {
    const d = mkdtempSync(join(tmpdir(), 'hunt-cross-source-'));
    dirs.push(d);
    await importRecords(d, records);
    return DuckdbEngine.open(d);
  };
  lakes.raw = await build({ cloudtrail: events });
  lakes.v2 = await build({ ocsf });
  lakes.v1 = await build({ ocsf: ocsf.map(toRc2) });
}, 180_000);

afterAll(async () => {
  for (const e of Object.values(lakes)) await e?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const onSecurityLake = storageFor(LOCAL_LAKE, { ...READ_DEFAULT, only: 'security_lake' });

async function rows(engine: DuckdbEngine | undefined, t: Translation): Promise<unknown[]> {
  if (!engine) throw new Error('lake not built');
  const result = await engine.query({ sql: t.sql, params: bindParams(t.slots, everything) });
  return comparable(toResultRows(result.rows, t.fields));
}

describe('CloudTrail detections on the local lake: Security Lake gives the rows raw CloudTrail gives', () => {
  test('the corpus has S3 data events, which land in their own table', async () => {
    expect(dataEvents).toBeGreaterThan(0);
    for (const lake of [lakes.v2, lakes.v1]) {
      const r = await lake?.query({ sql: 'SELECT count(*) AS n FROM security_lake_s3_data_2_0', params: [] });
      expect(Number(r?.rows[0]?.n)).toBe(dataEvents);
    }
  });

  test.each(files)('%s', async (f) => {
    const d = loadDetection(join(dir, f));
    const opts = { dialect: 'duckdb' as const, macros: macrosWith(), zone: 'UTC' };
    const translate = (o: typeof opts & { storage?: StorageTarget }) => {
      try {
        return translateSearch(d.search, o);
      } catch (err) {
        return (err as Error).message;
      }
    };
    const onRaw = translate(opts);
    const onSl = translate({ ...opts, storage: onSecurityLake });
    if (typeof onRaw === 'string' || typeof onSl === 'string') {
      expect(NOT_COMPILED[stem(f)], `does not compile: ${onRaw}`).toBeDefined();
      expect(onSl).toEqual(onRaw);
      return;
    }
    expect(NOT_COMPILED[stem(f)], 'listed in NOT_COMPILED, but compiles').toBeUndefined();
    const noHome = onSl.warnings.filter((w) => w.code === 'no-source-home').map((w) => w.message);
    if (NO_HOME[stem(f)]) {
      expect(noHome.length, 'listed in NO_HOME: a no-source-home warning names the field').toBeGreaterThan(0);
      return;
    }
    expect(noHome).toEqual([]);
    const raw = await rows(lakes.raw, onRaw);
    if (EMPTY_ON_CORPUS[stem(f)]) expect(raw).toEqual([]);
    else expect(raw.length, 'rows on raw CloudTrail (else list it in EMPTY_ON_CORPUS)').toBeGreaterThan(0);
    expect(await rows(lakes.v2, onSl), 'Security Lake v2').toEqual(raw);
    expect(await rows(lakes.v1, onSl), 'Security Lake v1 (rc.2, converted on import)').toEqual(raw);
  });
});

const trino = new TrinoSQL();
const config = (version: 1 | 2) => {
  const d = mkdtempSync(join(tmpdir(), 'hunt-cross-source-config-'));
  dirs.push(d);
  const sl = `    version: ${version}\n    regions: [us-east-1, eu-west-1]\n    accounts: ['111122223333']\n`;
  const file = join(d, 'hunt.yaml');
  writeFileSync(
    file,
    `sources:\n${['security_lake', 'security_lake_s3_data', 'security_lake_lambda_execution'].map((k) => `  ${k}:\n${sl}`).join('')}` +
      'read:\n  sourcetypes:\n    aws:cloudtrail: security_lake\n',
  );
  return loadConfig(file, { HUNT_HOME: d });
};

describe.each([2, 1] as const)('CloudTrail detections for Athena on Security Lake v%i', (version) => {
  let outcomes: CompileOutcome[] = [];
  beforeAll(() => {
    outcomes = compileDirectory(dir, config(version), { dialect: 'athena' });
  });
  const v = version === 2 ? '2_0' : '1_0';
  const tables = ['cloud_trail_mgmt', 's3_data', 'lambda_execution'].flatMap((kind) =>
    ['us_east_1', 'eu_west_1'].map(
      (r) => `"amazon_security_lake_glue_db_${r}"."amazon_security_lake_table_${r}_${kind}_${v}"`,
    ),
  );
  const time =
    version === 2 ? '("t"."time_dt" >= ?) AND ("t"."time_dt" < ?)' : '("t"."eventday" >= ?) AND ("t"."eventday" <= ?)';

  test.each(files)('%s', (f) => {
    const o = outcomes.find((x) => basename(x.file) === f);
    if (NOT_COMPILED[stem(f)]) {
      expect(o?.error).toBeDefined();
      return;
    }
    expect(o?.error).toBeUndefined();
    const sql = o?.translation?.sql ?? '';
    expect(trino.validate(sql), sql).toEqual([]);
    expect(sql).not.toContain('cloudtrail_logs');
    // every table read, each branch pruned on time, region and account
    const branches = sql.split(/ union all /i).filter((b) => b.includes('amazon_security_lake_table_'));
    expect(branches.length).toBeGreaterThanOrEqual(tables.length);
    for (const t of tables) expect(sql).toContain(t);
    for (const b of branches) {
      expect(b).toContain(time);
      expect(b).toContain('("t"."region" = ?) AND ("t"."accountid" = ?)');
    }
    const noHome = o?.translation?.warnings.filter((w) => w.code === 'no-source-home') ?? [];
    expect(noHome.length > 0).toBe(NO_HOME[stem(f)] !== undefined);
  });
});
