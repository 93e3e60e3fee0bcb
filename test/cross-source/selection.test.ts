/**
 * Choosing where a sourcetype's detections read: `read:` of the configuration (per sourcetype,
 * per detection by id, name or file stem), `--source` over it, the one pure storageFor that
 * applies them to the local lake's and the Athena tables, and the errors for what cannot be.
 */
import { describe, expect, test } from 'vitest';
import { ATHENA_DEFAULT, LOCAL_LAKE } from '../../src/sources/bindings.js';
import { READ_DEFAULT, READ_SOURCES, storageFor } from '../../src/sources/read-from.js';
import { AWS_CLOUDTRAIL_ON_ASL, AWS_CLOUDTRAIL_ON_ASL_V1 } from '../../src/sources/security-lake/fields.js';
import { hunt } from '../support/cli.js';
import { configFiles } from '../support/config-files.js';
import { shared } from '../support/shared.js';

const { file, load, refusal } = configFiles('cross-source');
const names = (t: ReturnType<typeof storageFor>, st: string) => t[st]?.tables.map((x) => x.name.join('.'));

describe('storageFor', () => {
  test('nothing chosen: every sourcetype its own tables, the same object values', () => {
    expect(storageFor(LOCAL_LAKE, READ_DEFAULT)).toEqual(LOCAL_LAKE);
    expect(storageFor(ATHENA_DEFAULT, READ_DEFAULT)).toEqual(ATHENA_DEFAULT);
    expect(READ_SOURCES).toEqual(['cloudtrail', 'security_lake']);
  });

  test('CloudTrail on Security Lake: management and data-event tables, under CloudTrail names', () => {
    const local = storageFor(LOCAL_LAKE, { ...READ_DEFAULT, sourcetypes: { 'aws:cloudtrail': 'security_lake' } });
    expect(names(local, 'aws:cloudtrail')).toEqual([
      'security_lake_cloud_trail_mgmt_2_0',
      'security_lake_s3_data_2_0',
      'security_lake_lambda_execution_2_0',
    ]);
    expect(local['aws:cloudtrail']?.source).toBe(AWS_CLOUDTRAIL_ON_ASL);
    expect(local['aws:asl']).toEqual(LOCAL_LAKE['aws:asl']);
    const athena = storageFor(ATHENA_DEFAULT, { ...READ_DEFAULT, only: 'security_lake' });
    expect(names(athena, 'aws:cloudtrail')).toEqual([
      'amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0',
      'amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_s3_data_2_0',
      'amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_lambda_execution_2_0',
    ]);
    // each table keeps the pruning of its own sourcetype
    expect(athena['aws:cloudtrail']?.tables[0]?.partitions).toEqual(ATHENA_DEFAULT['aws:asl']?.tables[0]?.partitions);
  });

  test('precedence: --source, then the detection (id, name or stem), then the sourcetype', () => {
    const choice = {
      sourcetypes: { 'aws:cloudtrail': 'security_lake' },
      detections: { 'My Detection': 'cloudtrail' },
    };
    expect(names(storageFor(LOCAL_LAKE, choice, ['id-1', 'My Detection', 'stem']), 'aws:cloudtrail')).toEqual([
      'cloudtrail',
    ]);
    expect(names(storageFor(LOCAL_LAKE, choice, ['id-2', 'Other', 'stem']), 'aws:cloudtrail')).toHaveLength(3);
    expect(
      names(storageFor(LOCAL_LAKE, { ...choice, only: 'security_lake' }, ['x', 'My Detection']), 'aws:cloudtrail'),
    ).toHaveLength(3);
    // a source a sourcetype cannot be read from leaves it on its own tables
    expect(storageFor(LOCAL_LAKE, { ...READ_DEFAULT, only: 'cloudtrail' })).toEqual(LOCAL_LAKE);
  });
});

describe('read: in the configuration', () => {
  test('Security Lake v1 for all three tables: the v1 names', () => {
    const sl = '    version: 1\n    regions: [eu-west-1]\n';
    const c = load(
      `sources:\n  security_lake:\n${sl}  security_lake_s3_data:\n${sl}  security_lake_lambda_execution:\n${sl}` +
        'read:\n  sourcetypes:\n    aws:cloudtrail: security_lake\n',
    );
    const t = storageFor(c.athenaStorage, c.read);
    expect(t['aws:cloudtrail']?.source).toBe(AWS_CLOUDTRAIL_ON_ASL_V1);
    expect(names(t, 'aws:cloudtrail')?.[1]).toBe(
      'amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_s3_data_1_0',
    );
  });

  test('per detection', () => {
    const c = load('read:\n  detections:\n    aws_createaccesskey: security_lake\n');
    expect(c.read.detections).toEqual({ aws_createaccesskey: 'security_lake' });
    expect(c.read.sourcetypes).toEqual({ 'aws:cloudtrail': 'cloudtrail' });
  });

  test('unknown sourcetypes and sources are refused, naming the key', () => {
    expect(refusal('read:\n  sourcetypes:\n    aws:cloudtrail: athena\n')).toContain(
      '"athena" is not a source it can be read from (cloudtrail, security_lake)',
    );
    expect(refusal('read:\n  sourcetypes:\n    aws:asl: cloudtrail\n')).toContain('read.sourcetypes.aws:asl');
    expect(refusal('read:\n  sourcetypes:\n    aws:vpcflow: security_lake\n')).toContain(
      'no other source holds this sourcetype',
    );
    expect(refusal('read:\n  detections:\n    x: s3\n')).toContain(
      'field `read.detections.x`: is not a source to read from (cloudtrail, security_lake)',
    );
    expect(refusal('read:\n  colour: blue\n')).toContain('colour');
  });

  test('Security Lake versions that differ between the tables CloudTrail detections read together', () => {
    expect(
      refusal(
        'sources:\n  security_lake:\n    version: 1\n    regions: [us-east-1]\nread:\n  sourcetypes:\n    aws:cloudtrail: security_lake\n',
      ),
    ).toContain(
      'read: security_lake: Security Lake version 1 for aws:asl but 2 for aws:asl:s3_data, aws:asl:lambda_execution',
    );
  });
});

describe('--source', () => {
  test('hunt compile --source security_lake reads Security Lake; a bad value names the flag', async () => {
    const rule = shared('escu', 'cloudtrail', 'aws_createaccesskey.yml');
    const on = await hunt(['compile', rule, '--source', 'security_lake']);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain('amazon_security_lake_table_us_east_1_s3_data_2_0');
    expect(on.stdout).not.toContain('cloudtrail_logs');
    const own = await hunt(['compile', rule, '--source', 'cloudtrail']);
    expect(own.stdout).toContain('cloudtrail_logs');
    const bad = await hunt(['compile', rule, '--source', 'athena']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--source <source>' argument 'athena' is invalid");
  });

  test('over a configuration whose Security Lake tables cannot be read together', async () => {
    const f = file('sources:\n  security_lake:\n    version: 1\n    regions: [us-east-1]\n');
    const rule = shared('escu', 'cloudtrail', 'aws_createaccesskey.yml');
    const r = await hunt(['lint', rule, '--config', f, '--source', 'security_lake']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--source security_lake: Security Lake version 1 for aws:asl');
  });
});
