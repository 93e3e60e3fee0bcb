/**
 * The demo's EKS audit logs, as Security Lake writes them (OCSF 1.1 API Activity from Amazon
 * EKS, table eks_audit): the prod cluster's administrators and nodes at work, AWS's own scanner
 * probing anonymously once a day (the detection allows it by user agent), and a scan planted
 * for ESCU's EKS detections (shared/escu-more): the attacker's address probing the API server
 * anonymously, listing pods among other things.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, isoMillis, utcDayStart } from './clock.js';
import { Rng, seedOf, stableId } from './rng.js';
import { CLUSTERS, account, ATTACKER } from './world.js';

type Obj = Record<string, unknown>;

export const EKS_SCAN = {
  detection: 'Amazon EKS Kubernetes cluster scan detection',
  daysAgo: 1,
  time: [19, 12] as const,
  ip: ATTACKER.ip,
  /** what the scanner asks, in order: [verb, URI, resource] */
  requests: [
    ['get', '/version', undefined],
    ['get', '/api', undefined],
    ['list', '/api/v1/namespaces', 'namespaces'],
    ['list', '/api/v1/pods', 'pods'],
    ['list', '/api/v1/secrets', 'secrets'],
    ['get', '/apis/apps/v1', undefined],
  ] as const,
} as const;

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const NODE_GROUPS = ['system:nodes', 'system:authenticated'];
const ANONYMOUS = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const KUBECTL = 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350';
const KUBELET = 'kubelet/v1.30.2 (linux/amd64) kubernetes/3968350';

interface Request {
  timeMs: number;
  n: string;
  user: { name: string; groups: readonly string[] };
  ip: string;
  verb: string;
  uri: string;
  resource?: string;
  agent: string;
  code: number;
}

const cluster = CLUSTERS[0];

function event(r: Request): Obj {
  const at = isoMillis(r.timeMs);
  const failed = r.code >= 400;
  return {
    metadata: {
      uid: stableId('', 32, 'eks-record', r.n),
      log_level: 'Metadata',
      version: '1.1.0',
      product: { name: 'Amazon EKS', vendor_name: 'AWS', version: 'audit.k8s.io/v1' },
      profiles: ['cloud', 'container'],
    },
    time: r.timeMs,
    time_dt: at,
    start_time_dt: at,
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    category_name: 'Application Activity',
    activity_id: 2,
    activity_name: 'Read',
    type_uid: 600302,
    severity_id: 1,
    severity: 'Informational',
    api: {
      request: { uid: stableId('', 32, 'eks-audit-id', r.n) },
      operation: r.verb,
      version: 'v1',
      response: { code: r.code, ...(failed ? { error: 'Forbidden', message: 'forbidden' } : {}) },
    },
    http_request: { url: { path: r.uri }, user_agent: r.agent },
    actor: { user: { name: r.user.name, groups: r.user.groups } },
    cloud: { account: { uid: account(cluster?.account ?? 'prod').id }, region: cluster?.region, provider: 'AWS' },
    src_endpoint: { ip: r.ip },
    ...(r.resource ? { resources: [{ type: r.resource, version: 'v1' }] } : {}),
  };
}

/** EKS audit events over [startMs, nowMs), oldest first. */
export function eksAuditEvents(seed: number, startMs: number, nowMs: number): Obj[] {
  const out: Obj[] = [];
  const nodes = cluster?.nodes ?? [];
  for (let day = utcDayStart(startMs); day < nowMs; day += DAY_MS) {
    const rng = new Rng(seedOf(seed, 'eks-audit', day));
    for (let hour = 8; hour < 19; hour++) {
      for (let i = 0; i < rng.int(1, 4); i++) {
        const t = day + hour * HOUR_MS + rng.int(0, 59) * MINUTE_MS;
        const [verb, uri, resource] = rng.pick([
          ['list', '/api/v1/namespaces/default/pods', 'pods'],
          ['get', '/apis/apps/v1/namespaces/default/deployments/web', 'deployments'],
          ['list', '/api/v1/nodes', 'nodes'],
        ] as const);
        out.push(
          event({
            timeMs: t,
            n: `${day}-${hour}-a${i}`,
            user: ADMIN,
            ip: '10.20.1.10',
            verb,
            uri,
            resource,
            agent: KUBECTL,
            code: 200,
          }),
        );
      }
      for (const [i, node] of nodes.entries()) {
        const t = day + hour * HOUR_MS + (10 + i) * MINUTE_MS;
        const user = { name: `system:node:ip-${node.ip.replaceAll('.', '-')}.ec2.internal`, groups: NODE_GROUPS };
        out.push(
          event({
            timeMs: t,
            n: `${day}-${hour}-k${i}`,
            user,
            ip: node.ip,
            verb: 'get',
            uri: '/api/v1/nodes',
            resource: 'nodes',
            agent: KUBELET,
            code: 200,
          }),
        );
      }
    }
    // AWS's scanner checks the endpoint anonymously: the detection leaves it out by user agent
    out.push(
      event({
        timeMs: day + 4 * HOUR_MS,
        n: `${day}-scanner`,
        user: ANONYMOUS,
        ip: '198.51.100.99',
        verb: 'get',
        uri: '/healthz',
        agent: 'AWS Security Scanner',
        code: 200,
      }),
    );
  }
  const [h, m] = EKS_SCAN.time;
  const scanAt = utcDayStart(nowMs) - EKS_SCAN.daysAgo * DAY_MS + h * HOUR_MS + m * MINUTE_MS;
  for (const [i, [verb, uri, resource]] of EKS_SCAN.requests.entries()) {
    const r: Request = {
      timeMs: scanAt + i * 7 * SECOND_MS,
      n: `scan-${i}`,
      user: ANONYMOUS,
      ip: EKS_SCAN.ip,
      verb,
      uri,
      agent: 'python-requests/2.31.0',
      code: 403,
    };
    out.push(event(resource ? { ...r, resource } : r));
  }
  return out
    .filter((r) => (r.time as number) >= startMs && (r.time as number) < nowMs)
    .sort((a, b) => (a.time as number) - (b.time as number));
}
