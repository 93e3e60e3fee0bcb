import { DAY_MS, HOUR_MS, MINUTE_MS, utcDayStart } from './clock.js';
import { Rng, seedOf } from './rng.js';
import { type Flow, vpcFlowRecord } from './vpc-flow-record.js';
import { account, CLUSTERS } from './world.js';

/**
 * The demo's VPC flow logs, as Security Lake's VPC Flow table holds them (OCSF 1.1): the EKS
 * nodes' ordinary traffic (HTTPS out, accepted; scanners in, rejected; a rare blocked NTP call
 * out, the baseline of blocked outbound connections) and one planted spike of blocked outbound
 * connections, for ESCU's "Detect Spike in blocked Outbound Traffic from your AWS": its base
 * search (blocked, from RFC 1918 to elsewhere) finds the planted node with many connections
 * and the ordinary ones with one or two.
 */

/** The planted spike: one node's blocked connections to a command-and-control address. */
export const VPC_FLOW_SPIKE = {
  detection: 'Detect Spike in blocked Outbound Traffic from your AWS',
  /** whole days before now's UTC date, and the UTC hour it starts at */
  daysAgo: 2,
  hour: 14,
  node: '10.20.12.91',
  destinations: ['203.0.113.66', '203.0.113.67'],
  connections: 40,
} as const;

const HTTPS_OUT = ['198.51.100.80', '198.51.100.81', '198.51.100.82'];
const SCANNERS = ['203.0.113.5', '203.0.113.6'];
const NTP = '192.0.2.123';

interface Node {
  account: string;
  region: string;
  ip: string;
  interfaceId: string;
}

const NODES: Node[] = CLUSTERS.filter((c) => account(c.account).securityLake).flatMap((c) =>
  c.nodes.map((n) => ({
    account: account(c.account).id,
    region: c.region,
    ip: n.ip,
    interfaceId: `eni-${n.instanceId.slice(2)}`,
  })),
);

function flowOf(node: Node, timeMs: number, rng: Rng, over: Partial<Flow>): Flow {
  return {
    timeMs,
    account: node.account,
    region: node.region,
    interfaceId: node.interfaceId,
    src: node.ip,
    dst: '198.51.100.80',
    srcPort: rng.int(32768, 60999),
    dstPort: 443,
    protocol: 6,
    packets: rng.int(2, 40),
    bytes: rng.int(120, 60_000),
    action: 'ACCEPT',
    direction: 'egress',
    ...over,
  };
}

/** One UTC day of ordinary flows, per node and hour. */
function ordinaryFlows(seed: number, dayMs: number): Flow[] {
  const rng = new Rng(seedOf('vpc-flow', seed, dayMs));
  const flows: Flow[] = [];
  for (const node of NODES) {
    for (let h = 0; h < 24; h++) {
      const at = (): number => dayMs + h * HOUR_MS + rng.int(0, 59) * MINUTE_MS + rng.int(0, 59) * 1000;
      for (let i = rng.int(1, 3); i > 0; i--) flows.push(flowOf(node, at(), rng, { dst: rng.pick(HTTPS_OUT) }));
      if (rng.chance(0.3)) {
        const scanner = rng.pick(SCANNERS);
        flows.push(
          flowOf(node, at(), rng, {
            src: scanner,
            dst: node.ip,
            srcPort: rng.int(1024, 65535),
            dstPort: 22,
            action: 'REJECT',
            direction: 'ingress',
            packets: 1,
            bytes: 60,
          }),
        );
      }
      if (rng.chance(0.03)) {
        flows.push(
          flowOf(node, at(), rng, { dst: NTP, dstPort: 123, protocol: 17, action: 'REJECT', packets: 1, bytes: 76 }),
        );
      }
    }
  }
  return flows;
}

function spikeFlows(seed: number, nowMs: number): Flow[] {
  const node = NODES.find((n) => n.ip === VPC_FLOW_SPIKE.node);
  if (!node) throw new RangeError(`no demo node ${VPC_FLOW_SPIKE.node}`);
  const rng = new Rng(seedOf('vpc-flow-spike', seed));
  const start = utcDayStart(nowMs) - VPC_FLOW_SPIKE.daysAgo * DAY_MS + VPC_FLOW_SPIKE.hour * HOUR_MS;
  return Array.from({ length: VPC_FLOW_SPIKE.connections }, (_, i) =>
    flowOf(node, start + i * MINUTE_MS + rng.int(0, 59) * 1000, rng, {
      dst: VPC_FLOW_SPIKE.destinations[i % VPC_FLOW_SPIKE.destinations.length],
      dstPort: 4444,
      action: 'REJECT',
      packets: 1,
      bytes: 60,
    }),
  );
}

/** Security Lake's VPC Flow records over [startMs, nowMs), oldest first. Deterministic. */
export function vpcFlowTraffic(seed: number, startMs: number, nowMs: number): Record<string, unknown>[] {
  const flows: Flow[] = [];
  for (let day = utcDayStart(startMs); day < nowMs; day += DAY_MS) flows.push(...ordinaryFlows(seed, day));
  flows.push(...spikeFlows(seed, nowMs));
  return flows
    .filter((f) => f.timeMs >= startMs && f.timeMs < nowMs)
    .sort((a, b) => a.timeMs - b.timeMs || a.srcPort - b.srcPort)
    .map(vpcFlowRecord);
}
