/**
 * Security Lake's Security Hub findings and EKS audit tables as sources: the importer sends
 * their records to tables of their own (laid out as Security Lake's, deduplicated by finding
 * version / audit id), an rc.2 finding (source version 1) is stored as its OCSF 1.1 form,
 * Athena reads amazon_security_lake_table_<region>_<sh_findings|eks_audit>_<2_0|1_0> pruned
 * as the CloudTrail table, and the ESCU detections compile for both dialects.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { describeAdded, importFiles } from '../../src/lake/import.js';
import { LAKE_TABLES } from '../../src/lake/layout.js';
import { translateSearch } from '../../src/translate/translate.js';
import { configFiles } from '../support/config-files.js';
import {
  anonymousEvent,
  moreDetection,
  rc2Finding,
  shFinding,
  type FindingOptions,
} from '../support/events-sl-sources.js';
import { asl, calls } from '../support/events-asl.js';
import { iamUser } from '../support/events.js';
import { macrosWith } from '../support/hunt.js';
import { filesUnder } from '../lake/helpers.js';

const trino = new TrinoSQL();
const ec2: FindingOptions = {
  time: '2026-11-18T10:00:00Z',
  uid: 'arn:aws:securityhub:us-east-1:111122223333:finding/f-1',
  title: 'EC2.8 EC2 instances should use IMDSv2',
  resource: { type: 'AwsEc2Instance', id: 'arn:aws:ec2:us-east-1:111122223333:instance/i-01' },
  severity: 'High',
};
const audit = (id: string, time = '2026-11-18T10:00:00Z') =>
  anonymousEvent({
    time,
    id,
    ips: ['203.0.113.9'],
    verb: 'list',
    uri: '/api/v1/pods',
    resource: 'pods',
  });

describe('import', () => {
  let lake: string;
  let engine: DuckdbEngine;
  let summary: Awaited<ReturnType<typeof importFiles>>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-sl-sources-'));
    lake = join(dir, 'lake');
    const file = join(dir, 'mixed.jsonl');
    const lines = [
      shFinding(ec2),
      shFinding(ec2), // the same version again
      shFinding({ ...ec2, time: '2026-11-19T08:00:00Z' }), // an update of the finding: a record of its own
      rc2Finding({ ...ec2, uid: 'rc2-finding', time: '2026-11-18T11:00:00Z' }),
      shFinding({ ...ec2, uid: 'c-1', compliance: 'FAILED' }),
      audit('a-1'),
      audit('a-1'), // a repeat
      audit('a-2'),
      // CloudTrail's API Activity is the CloudTrail table's, not EKS's
      asl({ time: '2026-11-18T10:00:00Z', who: iamUser('alice'), call: calls.listUsers() }),
      { class_uid: 2004, time: 'noon', metadata: { version: '1.1.0' } },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    summary = await importFiles(lake, [file]);
    engine = await DuckdbEngine.open(lake);
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('each record to its own table, deduplicated; a bad time is a problem', async () => {
    expect(summary.securityHub).toEqual({ added: 4, duplicates: 1 });
    expect(summary.eksAudit).toEqual({ added: 2, duplicates: 1 });
    expect(summary.securityLake).toEqual({ added: 1, duplicates: 0 });
    expect(summary.files[0]?.problems).toEqual(['line 10: time "noon" is not epoch milliseconds']);
    // OCSF's tables it touched; a format none of whose tables it touched by its last table
    expect(describeAdded(summary)).toBe(
      'cloudtrail: 0 added, 0 already present; security hub findings: 4 added, 1 already present; eks audit: 2 added, 1 already present; security lake: 1 added, 0 already present',
    );
    const none = Object.fromEntries(LAKE_TABLES.map((t) => [t.id, { added: 0, duplicates: 0 }]));
    expect(describeAdded({ ...none, files: [], filesWritten: 0 } as unknown as typeof summary)).toMatch(
      /^cloudtrail: 0 added, 0 already present; security lake: 0 added, 0 already present$/,
    );
    const files = await filesUnder(lake);
    expect(
      files.filter((f) => f.startsWith('security_lake/sh_findings_2_0/')).map((f) => f.split('/part-')[0]),
    ).toEqual(
      expect.arrayContaining([
        'security_lake/sh_findings_2_0/region=us-east-1/accountid=111122223333/time_dt_day=2026-11-18',
        'security_lake/sh_findings_2_0/region=us-east-1/accountid=111122223333/time_dt_day=2026-11-19',
      ]),
    );
    expect(
      files.some((f) => f.startsWith('security_lake/eks_audit_2_0/region=us-east-1/accountid=111122223333/')),
    ).toBe(true);
  });

  test('an rc.2 Security Finding is stored as its OCSF 1.1 form', async () => {
    const q = async (uid: string) =>
      (
        await engine.query({
          sql:
            'SELECT finding_info.title AS title, finding_info.types AS types, finding_info.created_time_dt AS created, ' +
            'resources[1].type AS type, resources[1].uid AS rid, cloud.account.uid AS account, status, severity, time_dt ' +
            `FROM security_lake_sh_findings_2_0 WHERE finding_info.uid = '${uid}'`,
          params: [],
        })
      ).rows;
    const v1 = await q('rc2-finding');
    expect(v1).toHaveLength(1);
    expect(v1[0]).toMatchObject({ title: ec2.title, type: 'AwsEc2Instance', account: '111122223333', status: 'New' });
    // the same finding written by source version 2, one hour earlier
    const v2 = (await q(ec2.uid)).find((r) => String(r.time_dt).startsWith('2026-11-18'));
    expect({ ...v1[0], created: null, time_dt: null }).toEqual({ ...v2, created: null, time_dt: null });
    expect(v1[0]?.created).toEqual(v1[0]?.time_dt);
  });
});

describe('Athena', () => {
  const files = configFiles('sl-sources');
  const translate = (search: string, yaml: string) =>
    translateSearch(search, {
      dialect: 'athena',
      macros: macrosWith(),
      zone: 'UTC',
      storage: files.load(yaml).athenaStorage,
    });

  test('Security Hub: per region table names, pruned on time_dt, region and accounts', () => {
    const t = translate(
      'sourcetype=aws:securityhub:finding Title=x | stats count by dest',
      "sources:\n  security_lake_sh_findings:\n    regions: [eu-west-1, us-east-1]\n    accounts: ['111122223333']\n",
    );
    for (const r of ['eu_west_1', 'us_east_1']) {
      expect(t.sql).toContain(
        `"amazon_security_lake_glue_db_${r}"."amazon_security_lake_table_${r}_sh_findings_2_0" as "t" where (("t"."time_dt" >= ?) AND ("t"."time_dt" < ?) AND ("t"."region" = ?) AND ("t"."accountid" = ?))`,
      );
    }
    expect(t.sql).toContain('"finding_info"."title"');
    expect(trino.validate(t.sql)).toEqual([]);
  });

  test('Security Hub v1: the rc.2 table, pruned on eventday, read through the field table', () => {
    const t = translate(
      'sourcetype=aws:securityhub:finding Title=x | stats count by AwsAccountId',
      'sources:\n  security_lake_sh_findings:\n    version: 1\n    regions: [us-east-1]\n',
    );
    expect(t.sql).toContain('"amazon_security_lake_table_us_east_1_sh_findings_1_0"');
    expect(t.sql).toContain('("t"."eventday" >= ?) AND ("t"."eventday" <= ?)');
    expect(t.sql).toContain('"finding"."title"');
    expect(t.sql).toContain('"cloud"."account_uid"');
    expect(t.sql).not.toContain('finding_info');
    expect(trino.validate(t.sql)).toEqual([]);
    // the ESCU detection reads the types' elements (Types{}): from rc.2's finding.types
    const ec2 = translateSearch(moreDetection('detect_spike_in_aws_security_hub_alerts_for_ec2_instance.yml').search, {
      dialect: 'athena',
      macros: macrosWith(),
      zone: 'UTC',
      storage: files.load('sources:\n  security_lake_sh_findings:\n    version: 1\n    regions: [us-east-1]\n')
        .athenaStorage,
    });
    expect(ec2.warnings).toEqual([]);
    expect(ec2.sql).toContain('"t"."finding"."types"');
    expect(ec2.sql).not.toContain('finding_info');
    expect(trino.validate(ec2.sql)).toEqual([]);
  });

  test('EKS audit: source version 2 only', () => {
    const t = translate('sourcetype=aws:cloudwatchlogs:eks verb=list | stats count by requestURI', '');
    expect(t.sql).toContain(
      '"amazon_security_lake_glue_db_us_east_1"."amazon_security_lake_table_us_east_1_eks_audit_2_0"',
    );
    expect(files.refusal('sources:\n  security_lake_eks_audit:\n    version: 1\n    regions: [us-east-1]\n')).toMatch(
      /`sources\.security_lake_eks_audit\.version`: Security Lake has this source only in source version 2/,
    );
    expect(files.refusal('sources:\n  security_lake_sh_findings:\n    regions: [Mars-1]\n')).toMatch(
      /sources\.security_lake_sh_findings\.regions/,
    );
  });
});

describe('the ESCU detections compile for both dialects', () => {
  const names = [
    'detect_spike_in_aws_security_hub_alerts_for_ec2_instance.yml',
    'detect_spike_in_aws_security_hub_alerts_for_user.yml',
    'amazon_eks_kubernetes_cluster_scan_detection.yml',
    'amazon_eks_kubernetes_pod_scan_detection.yml',
  ];
  test.each(names)('%s', (name) => {
    const d = moreDetection(name);
    const athena = translateSearch(d.search, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(trino.validate(athena.sql)).toEqual([]);
    expect(athena.sql).toMatch(/amazon_security_lake_table_us_east_1_(sh_findings|eks_audit)_2_0/);
    const duck = translateSearch(d.search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
    expect(duck.sql).toMatch(/"security_lake_(sh_findings|eks_audit)_2_0"/);
  });
});
