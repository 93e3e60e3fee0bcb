import { describe, expect, it } from 'vitest';
import {
  classify,
  ctDatePrefixes,
  daysBetween,
  expand,
  keepKey,
  MAX_DAY_PREFIXES,
  type Node,
  nodeOfPrefix,
  planFilter,
  rootNode,
  S3PlanError,
  unknownSourceFolders,
} from '../../../src/lake/s3/prefixes.js';

const NOW = new Date('2024-03-10T12:00:00Z');
const A = '111111111111';
const B = '222222222222';

describe('planFilter', () => {
  it('turns since/until into CloudTrail delivery days (one more) and Security Lake event days', () => {
    expect(
      planFilter({ since: new Date('2024-02-28T23:59:00Z'), until: new Date('2024-02-29T00:10:00Z') }, NOW),
    ).toEqual({ ctDays: { from: '20240228', to: '20240301' }, slDays: { from: '20240228', to: '20240229' } });
    expect(
      planFilter({ since: new Date('2024-12-31T10:00:00Z'), until: new Date('2024-12-31T11:00:00Z') }, NOW).ctDays,
    ).toEqual({
      from: '20241231',
      to: '20250101',
    });
  });

  it('reads since alone as until now, and until alone as an open start', () => {
    expect(planFilter({ since: new Date('2024-03-09T00:00:00Z') }, NOW).slDays).toEqual({
      from: '20240309',
      to: '20240310',
    });
    expect(planFilter({ until: new Date('2024-03-01T00:00:00Z') }, NOW)).toEqual({
      ctDays: { to: '20240302' },
      slDays: { to: '20240301' },
    });
    expect(planFilter({}, NOW)).toEqual({});
  });

  it('sorts and de-duplicates regions and accounts, and rejects malformed ones', () => {
    expect(planFilter({ regions: ['us-west-2', 'us-east-1', 'us-west-2'], accounts: [B, A] }, NOW)).toEqual({
      regions: ['us-east-1', 'us-west-2'],
      accounts: [A, B],
    });
    expect(() => planFilter({ accounts: ['12345'] }, NOW)).toThrow(/"12345" is not a 12-digit AWS account id/);
    expect(() => planFilter({ regions: ['US-EAST-1'] }, NOW)).toThrow(S3PlanError);
    expect(planFilter({ regions: ['us-gov-west-1', 'eusc-de-east-1', 'cn-north-1'] }, NOW).regions).toHaveLength(3);
    expect(() =>
      planFilter({ since: new Date('2024-03-02T00:00:00Z'), until: new Date('2024-03-01T00:00:00Z') }, NOW),
    ).toThrow(/since .* is after until/);
  });
});

describe('nodeOfPrefix', () => {
  it('recognises where a user-given prefix is in either layout', () => {
    expect(nodeOfPrefix('')).toEqual({ level: 'unknown', prefix: '', depth: 0 });
    expect(nodeOfPrefix('trails/').level).toBe('unknown');
    expect(nodeOfPrefix('trails/AWSLogs/').level).toBe('ct-awslogs');
    expect(nodeOfPrefix('AWSLogs/o-abcdef1234/').level).toBe('ct-org');
    expect(nodeOfPrefix(`AWSLogs/o-abcdef1234/${A}/`).level).toBe('ct-account');
    expect(nodeOfPrefix(`AWSLogs/${A}/CloudTrail/`).level).toBe('ct-regions');
    expect(nodeOfPrefix(`AWSLogs/${A}/CloudTrail/eu-west-1/`).level).toBe('ct-dates');
    expect(nodeOfPrefix(`AWSLogs/${A}/CloudTrail/eu-west-1/2024/`)).toEqual({
      level: 'leaf',
      prefix: `AWSLogs/${A}/CloudTrail/eu-west-1/2024/`,
      layout: 'cloudtrail',
    });
    // the user named a folder outside the events: read as given
    expect(nodeOfPrefix(`AWSLogs/${A}/CloudTrail-Insight/`)).toMatchObject({ level: 'leaf', layout: 'cloudtrail' });
    expect(nodeOfPrefix('aws/CLOUD_TRAIL_MGMT/').level).toBe('sl-source');
    expect(nodeOfPrefix('aws/CLOUD_TRAIL_MGMT/2.0/').level).toBe('sl-version');
    expect(nodeOfPrefix('aws/SH_FINDINGS/1.0/').level).toBe('sl-version');
    expect(nodeOfPrefix('aws/EKS_AUDIT/').level).toBe('sl-source');
    expect(nodeOfPrefix('aws/NEW_SOURCE/').level).toBe('unknown');
    expect(nodeOfPrefix('aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/').level).toBe('sl-region');
    expect(nodeOfPrefix(`ext/custom/region=us-east-1/accountId=${A}/`).level).toBe('sl-account');
    expect(nodeOfPrefix(`x/region=us-east-1/accountId=${A}/eventDay=20240101/`)).toMatchObject({
      level: 'leaf',
      layout: 'security-lake',
    });
  });

  it('limits a leaf inside a layout to the filter days', () => {
    const f = planFilter({ since: new Date('2024-01-01T00:00:00Z'), until: new Date('2024-01-02T00:00:00Z') }, NOW);
    expect(rootNode(`AWSLogs/${A}/CloudTrail/eu-west-1/2024/`, f)).toMatchObject({
      days: { from: '20240101', to: '20240103' },
    });
  });
});

describe('expand and classify', () => {
  const f = planFilter(
    {
      since: new Date('2024-02-28T00:00:00Z'),
      until: new Date('2024-03-01T05:00:00Z'),
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [A],
    },
    NOW,
  );
  const none = planFilter({}, NOW);

  it('builds the folders a filter names instead of listing them', () => {
    expect(expand({ level: 'ct-org', prefix: 'AWSLogs/o-x1234567890/' }, f)).toEqual({
      kind: 'children',
      nodes: [{ level: 'ct-account', prefix: `AWSLogs/o-x1234567890/${A}/` }],
    });
    expect(expand({ level: 'ct-account', prefix: `AWSLogs/${A}/` }, none)).toEqual({
      kind: 'children',
      nodes: [{ level: 'ct-regions', prefix: `AWSLogs/${A}/CloudTrail/` }],
    });
    expect(expand({ level: 'ct-regions', prefix: 'C/' }, f)).toEqual({
      kind: 'children',
      nodes: [
        { level: 'ct-dates', prefix: 'C/eu-west-1/' },
        { level: 'ct-dates', prefix: 'C/us-east-1/' },
      ],
    });
    expect(expand({ level: 'ct-dates', prefix: 'R/' }, f)).toEqual({
      kind: 'children',
      nodes: ['R/2024/02/28/', 'R/2024/02/29/', 'R/2024/03/01/', 'R/2024/03/02/'].map((prefix) => ({
        level: 'leaf',
        prefix,
        layout: 'cloudtrail',
      })),
    });
    expect(expand({ level: 'sl-version', prefix: 'V/' }, f)).toEqual({
      kind: 'children',
      nodes: [
        { level: 'sl-region', prefix: 'V/region=eu-west-1/' },
        { level: 'sl-region', prefix: 'V/region=us-east-1/' },
      ],
    });
    expect(expand({ level: 'sl-region', prefix: 'R/' }, f)).toEqual({
      kind: 'children',
      nodes: [{ level: 'sl-account', prefix: `R/accountId=${A}/` }],
    });
    expect(expand({ level: 'sl-account', prefix: 'A/' }, f)).toEqual({
      kind: 'children',
      nodes: ['20240228', '20240229', '20240301'].map((d) => ({
        level: 'leaf',
        prefix: `A/eventDay=${d}/`,
        layout: 'security-lake',
      })),
    });
  });

  it('lists the levels a filter does not name, and reads unfiltered dates whole', () => {
    for (const level of ['ct-awslogs', 'ct-org', 'ct-regions', 'sl-source', 'sl-version', 'sl-region'] as const)
      expect(expand({ level, prefix: 'P/' }, none)).toEqual({ kind: 'list' });
    expect(expand({ level: 'ct-awslogs', prefix: 'P/' }, f)).toEqual({ kind: 'list' });
    expect(expand({ level: 'ct-dates', prefix: 'R/' }, none)).toEqual({
      kind: 'children',
      nodes: [{ level: 'leaf', prefix: 'R/', layout: 'cloudtrail' }],
    });
    expect(expand({ level: 'sl-account', prefix: 'A/' }, planFilter({ until: NOW }, NOW))).toEqual({ kind: 'list' });
  });

  it('keeps only the listed folders of the filtered accounts, regions and days', () => {
    expect(
      classify(
        { level: 'ct-awslogs', prefix: 'AWSLogs/' },
        ['AWSLogs/o-abcdef1234/', `AWSLogs/${A}/`, `AWSLogs/${B}/`, 'AWSLogs/junk/'],
        f,
      ),
    ).toEqual([
      { level: 'ct-org', prefix: 'AWSLogs/o-abcdef1234/' },
      { level: 'ct-account', prefix: `AWSLogs/${A}/` },
    ]);
    expect(classify({ level: 'sl-source', prefix: 'S/' }, ['S/1.0/', 'S/2.0/', 'S/metadata/'], none)).toEqual([
      { level: 'sl-version', prefix: 'S/1.0/' },
      { level: 'sl-version', prefix: 'S/2.0/' },
    ]);
    expect(classify({ level: 'ct-regions', prefix: 'C/' }, ['C/us-east-1/', 'C/us-west-2/', 'C/x/'], none)).toEqual([
      { level: 'ct-dates', prefix: 'C/us-east-1/' },
      { level: 'ct-dates', prefix: 'C/us-west-2/' },
    ]);
    expect(
      classify(
        { level: 'sl-account', prefix: 'A/' },
        ['A/eventDay=20240301/', 'A/eventDay=20240302/', 'A/other/'],
        planFilter({ until: new Date('2024-03-01T12:00:00Z') }, NOW),
      ),
    ).toEqual([{ level: 'leaf', prefix: 'A/eventDay=20240301/', layout: 'security-lake' }]);
  });

  it('searches an unrecognised level by its folder names, within a bounded depth and fan-out', () => {
    const unknown = (prefix: string, depth = 0): Node => ({ level: 'unknown', prefix, depth });
    expect(classify(unknown(''), ['AWSLogs/', 'athena/'], none)).toEqual([{ level: 'ct-awslogs', prefix: 'AWSLogs/' }]);
    // every Security Lake source hunt has a table for, not the others
    const aws = ['aws/CLOUD_TRAIL_MGMT/', 'aws/NEW_SOURCE/', 'aws/SH_FINDINGS/', 'aws/VPC_FLOW/'];
    expect(classify(unknown('aws/'), aws, none)).toEqual([
      { level: 'sl-source', prefix: 'aws/CLOUD_TRAIL_MGMT/' },
      { level: 'sl-source', prefix: 'aws/SH_FINDINGS/' },
      { level: 'sl-source', prefix: 'aws/VPC_FLOW/' },
    ]);
    expect(unknownSourceFolders(unknown('aws/'), aws)).toEqual(['aws/NEW_SOURCE/']);
    expect(unknownSourceFolders(unknown(''), ['AWSLogs/', 'athena/'])).toEqual([]);
    expect(unknownSourceFolders(unknown('x/'), ['x/a/', 'x/b/'])).toEqual([]);
    expect(classify(unknown('x/'), ['x/region=us-east-1/'], none)).toEqual([{ level: 'sl-version', prefix: 'x/' }]);
    expect(classify(unknown(''), ['a/', 'b/'], none)).toEqual([unknown('a/', 1), unknown('b/', 1)]);
    expect(classify(unknown('a/', 1), ['a/b/'], none)).toEqual([]);
    const many = Array.from({ length: 21 }, (_, i) => `f${i}/`);
    expect(classify(unknown(''), many, none)).toEqual([]);
  });
});

describe('day prefixes', () => {
  it('counts days across months and leap days', () => {
    expect(daysBetween('20240227', '20240302')).toEqual(['20240227', '20240228', '20240229', '20240301', '20240302']);
    expect(daysBetween('20240302', '20240301')).toEqual([]);
  });

  it('falls back to month folders (filtered by key) for long ranges', () => {
    const nodes = ctDatePrefixes('R/', { from: '20220115', to: '20240110' });
    expect(daysBetween('20220115', '20240110').length).toBeGreaterThan(MAX_DAY_PREFIXES);
    expect(nodes).toHaveLength(25);
    expect(nodes[0]).toEqual({
      level: 'leaf',
      prefix: 'R/2022/01/',
      layout: 'cloudtrail',
      days: { from: '20220115', to: '20240110' },
    });
    const leaf = nodes[0] as Extract<Node, { level: 'leaf' }>;
    expect(keepKey(leaf, 'AWSLogs/1/CloudTrail/us-east-1/2022/01/14/f.json.gz')).toBe(false);
    expect(keepKey(leaf, 'AWSLogs/1/CloudTrail/us-east-1/2022/01/15/f.json.gz')).toBe(true);
    expect(keepKey(leaf, 'AWSLogs/1/CloudTrail/us-east-1/2022/01/15/')).toBe(false);
    expect(keepKey(leaf, 'elsewhere/f.json.gz')).toBe(true);
  });
});
