/**
 * ESCU "AWS ECR Container Scanning Findings Low Informational Unknown" on CloudTrail events of
 * our own. Expected rows are worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * each finding of a DescribeImageScanFindings response becomes a row (spath {} + mvexpand +
 * spath input=), `severity IN ("LOW", "INFORMATIONAL", "UNKNOWN")` keeps those three values
 * (case-insensitive: Inspector's UNTRIAGED or MEDIUM are other values), and stats drops findings
 * missing a BY field (no description, or a scan asked for by tag: no imageDigest).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, iamUser } from '../../support/events.js';
import { AGENT, DIGEST, describeScanFindings } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_ecr_container_scanning_findings_low_informational_unknown.yml');

const HOME = '198.51.100.7';
const alice = iamUser('alice');

const events = [
  describeScanFindings({
    time: '2026-11-18T10:00:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    findings: [
      { name: 'CVE-2026-3001', severity: 'LOW', description: 'zlib: timing side channel' },
      { name: 'CVE-2026-3002', severity: 'INFORMATIONAL', description: 'bash: outdated package' },
      { name: 'CVE-2026-3003', severity: 'UNKNOWN', description: 'libxml2: not yet scored' },
      { name: 'CVE-2026-3004', severity: 'MEDIUM', description: 'curl: cookie leak' },
      { name: 'CVE-2026-3005', severity: 'UNTRIAGED', description: 'pcre: awaiting triage' },
      { name: 'CVE-2026-3006', severity: 'LOW' }, // no description: stats drops it
    ],
  }),
  describeScanFindings({
    time: '2026-11-18T10:45:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    findings: [{ name: 'CVE-2026-3001', severity: 'LOW', description: 'zlib: timing side channel' }],
  }),
  // near misses: asked for by tag only; only HIGH and CRITICAL findings
  describeScanFindings({
    time: '2026-11-18T11:00:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    imageId: { imageTag: 'v1' },
    findings: [{ name: 'CVE-2026-3001', severity: 'LOW', description: 'zlib: timing side channel' }],
  }),
  describeScanFindings({
    time: '2026-11-18T11:01:00Z',
    who: iamUser('bob'),
    ip: HOME,
    repository: 'api',
    findings: [
      { name: 'CVE-2026-2001', severity: 'HIGH', description: 'glibc: heap overflow' },
      { name: 'CVE-2026-2002', severity: 'CRITICAL', description: 'remote code execution' },
    ],
  }),
];

const base = {
  signature: 'DescribeImageScanFindings',
  dest: 'ecr.amazonaws.com',
  user: 'alice',
  user_agent: AGENT.cli,
  src: HOME,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
};
const row = (name: string, description: string, count = 1, last = '2026-11-18T10:00:00') => ({
  ...base,
  finding_name: name,
  finding_description: description,
  imageDigest: DIGEST,
  repository: 'web',
  count,
  firstTime: '2026-11-18T10:00:00',
  lastTime: last,
});

describe('AWS ECR Container Scanning Findings Low Informational Unknown', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per LOW / INFORMATIONAL / UNKNOWN finding', async () => {
    expect(await runDetection(lake, detection)).toEqual([
      row('CVE-2026-3001', 'zlib: timing side channel', 2, '2026-11-18T10:45:00'),
      row('CVE-2026-3002', 'bash: outdated package'),
      row('CVE-2026-3003', 'libxml2: not yet scored'),
    ]);
  });

  test('nothing for other severities or a scan asked for by tag', async () => {
    const only = await makeLake({ cloudtrail: events.slice(2) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user; repository in the message', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T12:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message])).toEqual(
      Array.from({ length: 3 }, () => ['alice', 5, 'Vulnerabilities found in repository web']),
    );
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
