/**
 * Security Lake's own Parquet for the findings and EKS audit tables: records written with the
 * exact column types of the real samples (shared/reference/securitylake_other_sources.
 * schemas.txt: rc.2 Security Hub findings, 1.1 EKS audit) import into their tables, placed by
 * the S3 path's region and account as Security Lake lays them out.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { duckdb } from '../../src/duckdb.js';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importFiles } from '../../src/lake/import.js';
import { sqlIdent, sqlString } from '../../src/lake/sql.js';
import { anonymousEvent, rc2Finding } from '../support/events-sl-sources.js';
import { shared } from '../support/shared.js';

/** The `name<TAB>type` lines of one sample in the reference file. */
function sampleColumns(sample: string): { name: string; type: string }[] {
  const text = readFileSync(shared('reference', 'securitylake_other_sources.schemas.txt'), 'utf8');
  const start = text.indexOf(`== ${sample}`);
  if (start < 0) throw new Error(`no sample ${sample}`);
  const lines = text.slice(start).split('\n').slice(1);
  const end = lines.findIndex((l) => l.startsWith('== ') || l.trim() === '');
  return lines.slice(0, end < 0 ? undefined : end).map((l) => {
    const [name, type] = l.split('\t');
    return { name: name as string, type: type as string };
  });
}

async function writeParquet(dir: string, sample: string, records: object[]): Promise<string> {
  const json = join(dir, `${sample}.jsonl`);
  writeFileSync(json, records.map((r) => JSON.stringify(r)).join('\n'));
  const out = join(dir, 'region=eu-west-1', 'accountId=444455556666', 'eventDay=20261118');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${sample}.parquet`);
  const columns = sampleColumns(sample)
    .map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`)
    .join(', ');
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(
      `COPY (SELECT * FROM read_json(${sqlString(json)}, columns = {${columns}}, format = 'newline_delimited')) TO ${sqlString(file)} (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return file;
}

describe('Security Lake Parquet of the findings and EKS audit tables', () => {
  test('rc.2 findings and 1.1 EKS audit import into their tables, placed by the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-sl-parquet-'));
    const finding = rc2Finding({
      time: '2026-11-18T10:00:00Z',
      uid: 'pq-finding',
      title: 'GuardDuty finding',
      resource: { type: 'AwsEc2Instance', id: 'arn:aws:ec2:eu-west-1:444455556666:instance/i-1' },
    });
    // the path gives the account: this rc.2 record names none
    const files = [
      await writeParquet(dir, '1.0.0-rc.2_sh_findings.parquet', [{ ...finding, cloud: { region: 'eu-west-1' } }]),
      await writeParquet(dir, '1.1.0_eks.parquet', [
        anonymousEvent({
          time: '2026-11-18T10:00:00Z',
          id: 'pq-audit',
          ips: ['203.0.113.9', '10.0.0.1'],
          verb: 'list',
          uri: '/api/v1/pods',
          resource: 'pods',
        }),
      ]),
    ];
    const lake = join(dir, 'lake');
    const summary = await importFiles(lake, files);
    expect(summary.securityHub.added).toBe(1);
    expect(summary.eksAudit.added).toBe(1);
    const engine = await DuckdbEngine.open(lake);
    try {
      const q = async (sql: string) => (await engine.query({ sql, params: [] })).rows;
      expect(
        await q(
          'SELECT finding_info.title AS title, resources[1].uid AS rid, accountid, region, time_dt_day FROM security_lake_sh_findings_2_0',
        ),
      ).toEqual([
        {
          title: 'GuardDuty finding',
          rid: 'arn:aws:ec2:eu-west-1:444455556666:instance/i-1',
          accountid: '444455556666',
          region: 'eu-west-1',
          time_dt_day: '2026-11-18',
        },
      ]);
      expect(
        await q(
          `SELECT actor.user.name AS who, src_endpoint.intermediate_ips AS proxies, api.response.code AS code, ${sqlIdent('accountid')} FROM security_lake_eks_audit_2_0`,
        ),
      ).toEqual([{ who: 'system:anonymous', proxies: ['10.0.0.1'], code: 403, accountid: '444455556666' }]); // the path's, before the record's cloud.account.uid
    } finally {
      await engine.close();
    }
  });
});
