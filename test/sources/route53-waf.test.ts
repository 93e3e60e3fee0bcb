/**
 * Security Lake Route 53 (OCSF 4003) and AWS WAF (4002) as sources: records of either version
 * land in their own tables, recognised per record by class and product; `aws:asl:route53` and
 * `aws:asl:waf` search them on the local lake and in Athena (per region and version).
 */
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/engine.js';
import { importFiles } from '../../src/lake/import.js';
import { bindParams } from '../../src/sql/params.js';
import { translateSearch } from '../../src/translate/translate.js';
import { configFiles } from '../support/config-files.js';
import { macrosWith } from '../support/hunt.js';
import { ACCOUNT, DAY_WINDOW as WINDOW, T0 } from '../support/network-day.js';
import { filesUnder, ndjson, tempDirs, writeText } from '../lake/helpers.js';

const tmp = tempDirs();

const classOf = (uid: number, name: string, category: string) => ({
  class_uid: uid,
  class_name: name,
  category_uid: 4,
  category_name: category,
  severity_id: 1,
  severity: 'Informational',
});

/** A resolver query as Security Lake writes it: v2 (OCSF 1.1) or v1 (rc.2, the sample's columns). */
function dnsQuery(minute: number, host: string, ip: string, version: 1 | 2 = 2): Record<string, unknown> {
  const time = T0 + minute * 60_000;
  return {
    metadata: {
      product: { name: 'Route 53', vendor_name: 'AWS', version: '1.100000', feature: { name: 'Resolver Query Logs' } },
      profiles: ['cloud'],
      version: version === 2 ? '1.1.0' : '1.0.0-rc.2',
    },
    cloud:
      version === 2
        ? { account: { uid: ACCOUNT }, region: 'us-east-1' }
        : { account_uid: ACCOUNT, region: 'us-east-1' },
    src_endpoint: { vpc_uid: 'vpc-1', ip, port: 53000 + minute, instance_uid: 'i-1' },
    query: { hostname: host, type: 'A', class: 'IN' },
    answers: [{ type: 'A', rdata: '192.0.2.10', class: 'IN' }],
    rcode_id: 0,
    rcode: 'NoError',
    time,
    ...(version === 2 ? { time_dt: new Date(time).toISOString() } : {}),
    ...classOf(4003, 'DNS Activity', 'Network Activity'),
    activity_id: 2,
    activity_name: 'Response',
  };
}

function wafRequest(minute: number, ip: string, path: string, blocked: boolean): Record<string, unknown> {
  const time = T0 + minute * 60_000;
  return {
    metadata: {
      product: { name: 'AWS WAF', vendor_name: 'AWS', version: '1' },
      uid: `req-${minute}`,
      version: '1.1.0',
    },
    cloud: { account: { uid: ACCOUNT }, region: 'us-east-1' },
    src_endpoint: { ip, location: { country: 'NL' } },
    http_request: { http_method: 'GET', uid: `req-${minute}`, url: { hostname: 'shop.example', path } },
    firewall_rule: { uid: blocked ? 'AWS-AWSManagedRulesSQLiRuleSet' : 'Default_Action', type: 'MANAGED_RULE_GROUP' },
    time,
    time_dt: new Date(time).toISOString(),
    ...classOf(4002, 'HTTP Activity', 'Network Activity'),
    activity_id: 2,
    activity_name: 'Get',
    action: blocked ? 'Denied' : 'Allowed',
    action_id: blocked ? 2 : 1,
    disposition: blocked ? 'Blocked' : 'Allowed',
    disposition_id: blocked ? 2 : 1,
  };
}

describe('Route 53 and WAF in the local lake', () => {
  let lake: string;
  let engine: DuckdbEngine;
  let summary: Awaited<ReturnType<typeof importFiles>>;
  beforeAll(async () => {
    const dir = await tmp();
    lake = join(dir, 'lake');
    const file = await writeText(
      dir,
      'mixed.jsonl',
      ndjson([
        dnsQuery(1, 'c2.bad.example', '10.0.1.5'),
        dnsQuery(2, 'c2.bad.example', '10.0.1.5', 1),
        dnsQuery(3, 'www.good.example', '10.0.1.6'),
        wafRequest(4, '203.0.113.7', "/search?q=' OR 1=1", true),
        wafRequest(5, '203.0.113.8', '/', false),
        wafRequest(5, '203.0.113.8', '/', false), // the same request id: once
        // a DNS record of another product: no table for it
        {
          ...dnsQuery(6, 'x.example', '10.0.0.1'),
          metadata: { product: { name: 'Example Resolver' }, version: '1.1.0' },
        },
      ]),
    );
    summary = await importFiles(lake, [file]);
    engine = await DuckdbEngine.open(lake);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const run = async (search: string) => {
    const t = translateSearch(search, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
    return (await engine.query({ sql: t.sql, params: bindParams(t.slots, WINDOW) })).rows.map((r) =>
      Object.values(r).map(String),
    );
  };

  test('each record lands in its own table, by class and product', async () => {
    const tables = summary as unknown as Record<string, { added: number; duplicates: number }>;
    expect(tables.route53).toEqual({ added: 3, duplicates: 0 });
    expect(tables.waf).toEqual({ added: 2, duplicates: 1 });
    expect(summary.files[0]!.problems).toEqual([
      'line 7: OCSF class 4003 (DNS Activity) from Example Resolver: hunt has no local table for it',
    ]);
    const dirs = new Set((await filesUnder(lake)).map((f) => f.replace(/\/part-.*$/, '')));
    expect([...dirs].sort()).toEqual([
      'security_lake/route53_2_0/region=us-east-1/accountid=210987654321/time_dt_day=2026-11-18',
      'security_lake/waf_2_0/region=us-east-1/accountid=210987654321/time_dt_day=2026-11-18',
    ]);
  });

  test('aws:asl:route53 finds the queries for a name, of either version', async () => {
    expect(
      await run(
        'sourcetype=aws:asl:route53 query.hostname=*.bad.example | stats count by src_endpoint.ip cloud.account.uid',
      ),
    ).toEqual([['10.0.1.5', ACCOUNT, '2']]);
    expect(await run('sourcetype=aws:asl:route53 query.hostname=*.nowhere.example | stats count')).toEqual([['0']]);
  });

  test('aws:asl:waf finds the blocked requests', async () => {
    expect(
      await run('sourcetype=aws:asl:waf action=Denied | stats count by src_endpoint.ip firewall_rule.uid'),
    ).toEqual([['203.0.113.7', 'AWS-AWSManagedRulesSQLiRuleSet', '1']]);
  });
});

describe('Route 53 and WAF in Athena', () => {
  test.each([
    [
      'route53',
      'security_lake_route53',
      'sourcetype=aws:asl:route53 query.hostname=*.bad.example | stats count by src_endpoint.ip',
    ],
    ['waf', 'security_lake_waf', 'sourcetype=aws:asl:waf action=Denied | stats count by src_endpoint.ip'],
  ])('%s: Security Lake table per region and version; the SQL parses as Trino', (stem, key, search) => {
    const files = configFiles(`sl-${stem}`);
    for (const version of [1, 2] as const) {
      const config = files.load(
        `sources:\n  ${key}:\n    version: ${version}\n    regions: [eu-west-1]\n    accounts: ['${ACCOUNT}']\n`,
      );
      const t = translateSearch(search, {
        dialect: 'athena',
        macros: macrosWith(),
        zone: 'UTC',
        storage: config.athenaStorage,
      });
      expect(t.sql).toContain(
        `"amazon_security_lake_glue_db_eu_west_1"."amazon_security_lake_table_eu_west_1_${stem}_${version}_0"`,
      );
      expect(t.sql).toContain(version === 2 ? '"t"."time_dt" >=' : '"t"."eventday" >=');
      expect(t.sql).toContain('"t"."accountid" = ?');
      expect(new TrinoSQL().validate(t.sql)).toEqual([]);
    }
    expect(files.refusal(`sources:\n  ${key}:\n    regions: []\n`)).toMatch(new RegExp(`${key}\\.regions`));
  });
});
