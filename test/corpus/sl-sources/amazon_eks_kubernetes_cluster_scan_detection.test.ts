/**
 * Amazon EKS Kubernetes Cluster Scan Detection, on Security Lake's EKS audit table:
 *   `aws_cloudwatchlogs_eks` "user.username"="system:anonymous" userAgent!="AWS Security Scanner"
 *   | rename sourceIPs{} as src_ip | stats count min(_time) max(_time) values(responseStatus.reason)
 *   values(source) as cluster_name values(responseStatus.code) values(userAgent) as http_user_agent
 *   values(verb) values(requestURI) by src_ip user.username user.groups{} | ctime
 * `source` (the add-on's CloudWatch log group, naming the cluster) has no home in Security
 * Lake's records: the search says so and cluster_name stays empty; the rest is as in Splunk.
 * sourceIPs{} is the client and the proxies: a row per address, as Splunk groups a multivalue BY field.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anonymousEvent, eksEvent, moreDetection } from '../../support/events-sl-sources.js';
import { makeLake, runSearch, type TestLake } from '../../support/hunt.js';

const detection = moreDetection('amazon_eks_kubernetes_cluster_scan_detection.yml');
const SCANNER = '203.0.113.50';

/** AWS's own scanner (allowed by user agent) and an authenticated user: never a scan. */
const nearMisses = (): object[] => [
  // AWS's own scanner is allowed
  anonymousEvent({
    time: '2026-11-18T10:01:00Z',
    id: 'a3',
    ips: ['198.51.100.1'],
    verb: 'get',
    uri: '/healthz',
    agent: 'AWS Security Scanner',
  }),
  // an authenticated user is not a scan
  eksEvent({
    time: '2026-11-18T10:02:00Z',
    id: 'a4',
    user: 'kubernetes-admin',
    groups: ['system:masters'],
    ips: ['10.0.0.8'],
    verb: 'list',
    uri: '/api/v1/pods',
    code: 200,
  }),
];

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        anonymousEvent({
          time: '2026-11-18T10:00:00Z',
          id: 'a1',
          ips: [SCANNER],
          verb: 'get',
          uri: '/version',
          code: 200,
          reason: '',
        }),
        anonymousEvent({
          time: '2026-11-18T10:00:05Z',
          id: 'a2',
          ips: [SCANNER],
          verb: 'list',
          uri: '/api/v1/secrets',
          resource: 'secrets',
        }),
        ...nearMisses(),
      ],
    });
  });
  afterAll(() => lake.close());

  test("anonymous requests from one address, with the add-on's fields", async () => {
    const { rows, translation } = await runSearch(lake, detection.search);
    expect(rows).toEqual([
      {
        src_ip: SCANNER,
        'user.username': 'system:anonymous',
        'user.groups{}': 'system:unauthenticated',
        count: 2,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:00:05',
        'values(responseStatus.reason)': ['Forbidden'],
        'values(responseStatus.code)': ['200', '403'],
        http_user_agent: ['kubectl/v1.29.0 (linux/amd64) kubernetes/abc'],
        'values(verb)': ['get', 'list'],
        'values(requestURI)': ['/api/v1/secrets', '/version'],
      },
    ]);
    expect(translation.warnings).toContainEqual(expect.objectContaining({ code: 'no-source-home', field: 'source' }));
  });

  test('a request through a proxy counts for the client and the proxy, as Splunk splits sourceIPs{}', async () => {
    const proxied = await makeLake({
      ocsf: [
        anonymousEvent({
          time: '2026-11-18T11:00:00Z',
          id: 'p1',
          ips: [SCANNER, '10.1.0.1'],
          verb: 'get',
          uri: '/',
        }),
      ],
    });
    try {
      const rows = (await runSearch(proxied, detection.search)).rows;
      expect(rows.map((r) => r.src_ip)).toEqual(['10.1.0.1', SCANNER]);
    } finally {
      await proxied.close();
    }
  });

  test('nothing for the scanner and authenticated users', async () => {
    const quiet = await makeLake({
      ocsf: nearMisses(),
    });
    try {
      expect((await runSearch(quiet, detection.search)).rows).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
