import type { DateTime } from 'luxon';
import { DAY_MS, utcDayStart } from './clock.js';
import { eksAuditEvents } from './eks.js';
import { cloudtrailToOcsf } from './ocsf.js';
import { playScenarios, type DemoScenario } from './scenarios.js';
import { securityHubFindings } from './security-hub.js';
import { ordinaryDay, Sink, type TimedRecord } from './traffic.js';
import { vpcFlowTraffic } from './vpc-flow.js';
import { ACCOUNTS } from './world.js';

export interface DemoData {
  /** raw CloudTrail records (the `Records` entries of trail files), oldest first */
  cloudtrail: Record<string, unknown>[];
  /** the Security Lake accounts' share of the same events, as OCSF 1.1.0, oldest first */
  ocsf: Record<string, unknown>[];
  /** the Security Lake accounts' VPC flow logs (vpc-flow.ts), as OCSF 1.1.0, oldest first */
  vpcFlow: Record<string, unknown>[];
  scenarios: DemoScenario[];
  /** Security Lake's Security Hub findings (OCSF 1.1), with spikes planted (security-hub.ts) */
  securityHub: Record<string, unknown>[];
  /** Security Lake's EKS audit logs (OCSF 1.1), with an anonymous scan planted (eks.ts) */
  eksAudit: Record<string, unknown>[];
}

export interface DemoOptions {
  now: DateTime;
  /** length of the period ending at `now` (may be fractional) */
  days: number;
  seed?: number;
}

export const DEFAULT_DEMO_SEED = 1;

/**
 * A deterministic synthetic AWS environment over [now - days, now): the same (now, days, seed)
 * gives byte-identical output. Ordinary traffic is generated per UTC day and cut to the
 * period; the planted scenarios (scenarios.ts) are added when they fall inside it.
 */
export function generateDemoData(opts: DemoOptions): DemoData {
  if (!opts.now.isValid)
    throw new RangeError(`generateDemoData: now is not a valid time (${opts.now.invalidExplanation ?? 'invalid'})`);
  if (!Number.isFinite(opts.days) || opts.days <= 0)
    throw new RangeError(`generateDemoData: days must be a positive number, got ${opts.days}`);
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const nowMs = opts.now.toMillis();
  const startMs = nowMs - opts.days * DAY_MS;

  const timed: TimedRecord[] = [];
  for (let day = utcDayStart(startMs); day < nowMs; day += DAY_MS) {
    for (const r of ordinaryDay(seed, day)) if (r.timeMs >= startMs && r.timeMs < nowMs) timed.push(r);
  }
  const sink = new Sink();
  const scenarios = playScenarios(seed, startMs, nowMs, sink);
  timed.push(...sink.records);
  timed.sort(byTimeThenId);

  const cloudtrail = timed.map((t) => t.record);
  const lakeAccounts = new Set(ACCOUNTS.filter((a) => a.securityLake).map((a) => a.id));
  const ocsf: Record<string, unknown>[] = [];
  for (const rec of cloudtrail) {
    if (typeof rec.recipientAccountId !== 'string' || !lakeAccounts.has(rec.recipientAccountId)) continue;
    const mapped = cloudtrailToOcsf(rec);
    if (mapped) ocsf.push(mapped);
  }
  const securityHub = securityHubFindings(seed, startMs, nowMs);
  const eksAudit = eksAuditEvents(seed, startMs, nowMs);
  return { cloudtrail, ocsf, scenarios, securityHub, eksAudit, vpcFlow: vpcFlowTraffic(seed, startMs, nowMs) };
}

/** Time order; equal seconds ordered by eventID so the order never depends on generation order. */
export function byTimeThenId(a: TimedRecord, b: TimedRecord): number {
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  const x = String(a.record.eventID);
  const y = String(b.record.eventID);
  return x < y ? -1 : x > y ? 1 : 0;
}
