import { isoMillis } from './clock.js';

/** One VPC flow-log record's facts (the default v2 flow-log line's fields). */
export interface Flow {
  timeMs: number;
  account: string;
  region: string;
  interfaceId: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 1 ICMP */
  protocol: number;
  packets: number;
  bytes: number;
  action: 'ACCEPT' | 'REJECT';
  /** the interface's side: egress flows leave it (src), ingress flows reach it (dst) */
  direction: 'egress' | 'ingress';
}

/**
 * A flow as Security Lake writes it to its VPC Flow table (OCSF 1.1.0 Network Activity, class
 * 4001, activity Traffic): the flow-log fields under the names Security Lake maps them to (the
 * inverse of the add-on names in src/sources/vpc-flow/fields.ts). The flow window is the
 * aggregation interval ending at `timeMs`.
 */
export function vpcFlowRecord(f: Flow): Record<string, unknown> {
  const allowed = f.action === 'ACCEPT';
  const own = { interface_uid: f.interfaceId, vpc_uid: 'vpc-0a1b2c3d', subnet_uid: 'subnet-0a1b2c3d' };
  const egress = f.direction === 'egress';
  return {
    metadata: {
      product: { name: 'Amazon VPC', vendor_name: 'AWS', version: '2', feature: { name: 'Flowlogs' } },
      profiles: ['cloud', 'security_control', 'datetime'],
      version: '1.1.0',
    },
    cloud: { account: { uid: f.account }, region: f.region, provider: 'AWS' },
    src_endpoint: { ip: f.src, port: f.srcPort, ...(egress ? own : {}) },
    dst_endpoint: { ip: f.dst, port: f.dstPort, ...(egress ? {} : own) },
    connection_info: {
      protocol_num: f.protocol,
      direction: egress ? 'Outbound' : 'Inbound',
      direction_id: egress ? 2 : 1,
    },
    traffic: { packets: f.packets, bytes: f.bytes },
    time: f.timeMs,
    time_dt: isoMillis(f.timeMs),
    start_time_dt: isoMillis(f.timeMs - 60_000),
    end_time_dt: isoMillis(f.timeMs),
    status_code: 'OK',
    severity_id: 1,
    severity: 'Informational',
    class_name: 'Network Activity',
    class_uid: 4001,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_name: 'Traffic',
    activity_id: 6,
    type_uid: 400106,
    type_name: 'Network Activity: Traffic',
    action: allowed ? 'Allowed' : 'Denied',
    action_id: allowed ? 1 : 2,
    disposition: allowed ? 'Allowed' : 'Blocked',
    disposition_id: allowed ? 1 : 2,
    accountid: f.account,
    region: f.region,
  };
}
