/** The day the Security Lake network source tests happen on, their account, and their VPC flows. */
import { DateTime } from 'luxon';
import { type Flow, vpcFlowRecord } from '../../src/demo/vpc-flow-record.js';

export const ACCOUNT = '210987654321';
/** 2026-11-18T10:00:00Z in epoch ms */
export const T0 = Date.parse('2026-11-18T10:00:00Z');
/** that UTC day, as a search window */
export const DAY_WINDOW = {
  earliest: DateTime.fromISO('2026-11-18T00:00:00Z', { zone: 'utc' }),
  latest: DateTime.fromISO('2026-11-19T00:00:00Z', { zone: 'utc' }),
};

/** A flow of that day: an ENI in us-east-1 refused on 443 (`over` changes it). */
export const flow = (over: Partial<Flow> = {}): Flow => ({
  timeMs: T0,
  account: ACCOUNT,
  region: 'us-east-1',
  interfaceId: 'eni-0a1',
  src: '10.0.1.5',
  dst: '203.0.113.9',
  srcPort: 40000,
  dstPort: 443,
  protocol: 6,
  packets: 3,
  bytes: 180,
  action: 'REJECT',
  direction: 'egress',
  ...over,
});

/** The same flow as a Security Lake source version 1 record (OCSF 1.0.0-rc.2, the rc.2 sample's columns). */
export function rc2Flow(f: Flow): Record<string, unknown> {
  const v11 = vpcFlowRecord(f);
  const { cloud, action: _a, action_id: _i, time_dt: _t, start_time_dt: _s, end_time_dt: _e, ...rest } = v11;
  return {
    ...rest,
    metadata: { ...(v11.metadata as object), version: '1.0.0-rc.2' },
    cloud: { account_uid: f.account, region: f.region, provider: 'AWS' },
    start_time: f.timeMs - 60_000,
    end_time: f.timeMs,
    accountid: undefined,
    region: undefined,
  };
}
