/**
 * ESCU "AWS ECR Container Scanning Findings High" on CloudTrail events of our own. Expected rows
 * are worked out by hand from Splunk semantics (../shared/SEMANTICS.md):
 * - `spath path=responseElements.imageScanFindings.findings{}` gives each finding, mvexpand a row
 *   each (a scan without findings, or a failed call without responseElements, gives none);
 * - `spath input=findings` extracts name, severity, description; `search severity=HIGH` keeps
 *   HIGH only (CRITICAL is another value);
 * - a finding without description, or a scan asked for by tag (no
 *   requestParameters.imageId.imageDigest), misses a BY field: stats drops it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser } from '../../support/events.js';
import { AGENT, DIGEST, call, describeScanFindings } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_ecr_container_scanning_findings_high.yml');

const HOME = '198.51.100.7';
const CI_IP = '3.80.12.34';
const ci = assumedRole('ci-scanner', 'build-4711');
const alice = iamUser('alice');
const API_DIGEST = 'sha256:9a8b7c6d5e4f';

const events = [
  describeScanFindings({
    time: '2026-11-18T10:00:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    findings: [
      { name: 'CVE-2026-1001', severity: 'HIGH', description: 'openssl: buffer over-read' },
      { name: 'CVE-2026-1002', severity: 'CRITICAL', description: 'remote code execution' },
      { name: 'CVE-2026-1003', severity: 'MEDIUM', description: 'information leak' },
      { name: 'CVE-2026-1004', severity: 'HIGH' }, // no description: stats drops it
    ],
  }),
  // the same image looked at again: CVE-2026-1001 counts twice
  describeScanFindings({
    time: '2026-11-18T11:00:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    findings: [{ name: 'CVE-2026-1001', severity: 'HIGH', description: 'openssl: buffer over-read' }],
  }),
  // the CI role, another repository and image
  describeScanFindings({
    time: '2026-11-18T10:30:00Z',
    who: ci,
    ip: CI_IP,
    agent: AGENT.boto3,
    repository: 'api',
    imageId: { imageDigest: API_DIGEST },
    findings: [
      { name: 'CVE-2026-2001', severity: 'HIGH', description: 'glibc: heap overflow' },
      { name: 'CVE-2026-1001', severity: 'HIGH', description: 'openssl: buffer over-read' },
    ],
  }),
  // near misses: asked for by tag (no imageDigest in the request), no findings, scan not found,
  // another ECR call
  describeScanFindings({
    time: '2026-11-18T12:00:00Z',
    who: alice,
    ip: HOME,
    repository: 'web',
    imageId: { imageTag: 'v1' },
    findings: [{ name: 'CVE-2026-1001', severity: 'HIGH', description: 'openssl: buffer over-read' }],
  }),
  describeScanFindings({ time: '2026-11-18T12:01:00Z', who: alice, ip: HOME, repository: 'web', findings: [] }),
  describeScanFindings({ time: '2026-11-18T12:02:00Z', who: alice, ip: HOME, repository: 'web', findings: null }),
  call('ecr.amazonaws.com', {
    time: '2026-11-18T12:03:00Z',
    name: 'DescribeImages',
    who: alice,
    ip: HOME,
    request: { repositoryName: 'web', registryId: ACCOUNT, imageIds: [{ imageDigest: DIGEST }] },
    readOnly: true,
  }),
];

const who = (user: string, agent: string, src: string) => ({
  signature: 'DescribeImageScanFindings',
  dest: 'ecr.amazonaws.com',
  user,
  user_agent: agent,
  src,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
});

describe('AWS ECR Container Scanning Findings High', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('one row per HIGH finding, caller, image and repository', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...who('alice', AGENT.cli, HOME),
        finding_name: 'CVE-2026-1001',
        finding_description: 'openssl: buffer over-read',
        imageDigest: DIGEST,
        repository: 'web',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T11:00:00',
      },
      {
        ...who('ci-scanner', AGENT.boto3, CI_IP),
        finding_name: 'CVE-2026-1001',
        finding_description: 'openssl: buffer over-read',
        imageDigest: API_DIGEST,
        repository: 'api',
        count: 1,
        firstTime: '2026-11-18T10:30:00',
        lastTime: '2026-11-18T10:30:00',
      },
      {
        ...who('ci-scanner', AGENT.boto3, CI_IP),
        finding_name: 'CVE-2026-2001',
        finding_description: 'glibc: heap overflow',
        imageDigest: API_DIGEST,
        repository: 'api',
        count: 1,
        firstTime: '2026-11-18T10:30:00',
        lastTime: '2026-11-18T10:30:00',
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'finding_name',
      'finding_description',
      'imageDigest',
      'repository',
      'count',
      'firstTime',
      'lastTime',
    ]);
  });

  test('nothing without a HIGH finding that has every BY field', async () => {
    const only = await makeLake({ cloudtrail: events.slice(3) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: the user; repository in the message', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T13:00:00Z');
    expect(risk.map((r) => [r.risk_object, r.risk_score, r.risk_message, r.threat_objects])).toEqual([
      ['alice', 70, 'Vulnerabilities with severity high found in repository web', []],
      ['ci-scanner', 70, 'Vulnerabilities with severity high found in repository api', []],
      ['ci-scanner', 70, 'Vulnerabilities with severity high found in repository api', []],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
