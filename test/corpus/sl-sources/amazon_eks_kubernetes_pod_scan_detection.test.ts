/**
 * Amazon EKS Kubernetes Pod Scan Detection, on Security Lake's EKS audit table:
 *   `aws_cloudwatchlogs_eks` "user.username"="system:anonymous" verb=list objectRef.resource=pods
 *   requestURI="/api/v1/pods" | rename source as cluster_name sourceIPs{} as src_ip
 *   | stats count ... by src_ip cluster_name user.username user.groups{} | ctime
 * It groups by `source` (the add-on's CloudWatch log group, naming the cluster), which Security
 * Lake's EKS audit records do not keep: as written it returns nothing there, and compiling says
 * why (no-source-home, then stats-by-missing). The same search without the cluster fires on the
 * same events, so the mapping of every other field is tested here too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anonymousEvent, eksEvent, moreDetection } from '../../support/events-sl-sources.js';
import { makeLake, runSearch, type TestLake } from '../../support/hunt.js';

const detection = moreDetection('amazon_eks_kubernetes_pod_scan_detection.yml');
const SCANNER = '203.0.113.77';

/** Another resource, a get, an authenticated user: no anonymous pod listing. */
const nearMisses = (): object[] => [
  anonymousEvent({
    time: '2026-11-18T10:01:00Z',
    id: 'n1',
    ips: [SCANNER],
    verb: 'list',
    uri: '/api/v1/secrets',
    resource: 'secrets',
  }),
  anonymousEvent({
    time: '2026-11-18T10:02:00Z',
    id: 'n2',
    ips: [SCANNER],
    verb: 'get',
    uri: '/api/v1/pods',
    resource: 'pods',
  }),
  eksEvent({
    time: '2026-11-18T10:03:00Z',
    id: 'n3',
    user: 'ops',
    groups: ['system:authenticated'],
    ips: ['10.0.0.2'],
    verb: 'list',
    uri: '/api/v1/pods',
    resource: 'pods',
    code: 200,
  }),
];
const withoutCluster = detection.search
  .replace('rename source as cluster_name sourceIPs{} as src_ip', 'rename sourceIPs{} as src_ip')
  .replace('by\n  src_ip cluster_name', 'by\n  src_ip')
  .replace(/by\s+src_ip cluster_name/, 'by src_ip');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        anonymousEvent({
          time: '2026-11-18T10:00:00Z',
          id: 'p1',
          ips: [SCANNER],
          verb: 'list',
          uri: '/api/v1/pods',
          resource: 'pods',
        }),
        anonymousEvent({
          time: '2026-11-18T10:00:30Z',
          id: 'p2',
          ips: [SCANNER],
          verb: 'list',
          uri: '/api/v1/pods',
          resource: 'pods',
        }),
        ...nearMisses(),
      ],
    });
  });
  afterAll(() => lake.close());

  test('as written: nothing, and compiling says the cluster has no home in Security Lake', async () => {
    const { rows, translation } = await runSearch(lake, detection.search);
    expect(rows).toEqual([]);
    expect(translation.warnings.map((w) => [w.code, w.field])).toEqual([
      ['no-source-home', 'source'],
      ['stats-by-missing', 'cluster_name'],
    ]);
  });

  test('without the cluster: the anonymous pod listing, near misses aside', async () => {
    expect(withoutCluster).not.toContain('cluster_name');
    const { rows, translation } = await runSearch(lake, withoutCluster);
    expect(translation.warnings).toEqual([]);
    expect(rows).toEqual([
      {
        src_ip: SCANNER,
        'user.username': 'system:anonymous',
        'user.groups{}': 'system:unauthenticated',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:30',
        'values(responseStatus.reason)': ['Forbidden'],
        'values(responseStatus.code)': ['403'],
        'values(userAgent)': ['kubectl/v1.29.0 (linux/amd64) kubernetes/abc'],
        'values(verb)': ['list'],
        'values(requestURI)': ['/api/v1/pods'],
      },
    ]);
  });

  test('without the cluster: nothing when only near misses happen', async () => {
    const quiet = await makeLake({
      ocsf: nearMisses(),
    });
    try {
      expect((await runSearch(quiet, withoutCluster)).rows).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
