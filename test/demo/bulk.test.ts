import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cloudtrailToOcsf, DEMO_MACROS, generateBulkCloudtrail } from '../../src/demo/index.js';

type Obj = Record<string, unknown>;
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Obj)[k] : undefined), obj);

const START = DateTime.fromISO('2026-11-16T00:00:00Z', { zone: 'utc' }); // a Monday
const DAY = 86_400_000;
const take = (n: number, gen: Iterable<Record<string, unknown>>): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  for (const r of gen) {
    out.push(r);
    if (out.length >= n) break;
  }
  return out;
};
const CI = (/IN \(([^)]*)\)/.exec(DEMO_MACROS.aws_ecr_users ?? '')?.[1] ?? '').split(',').map((s) => s.trim());

describe('generateBulkCloudtrail', () => {
  // 2 days x 60,000: enough for the 1-in-25,000 attack sprinkle to show
  const all = [...generateBulkCloudtrail({ start: START, days: 2, eventsPerDay: 60_000 })];
  const time = (r: Obj): number => Date.parse(String(r.eventTime));

  it('produces exactly days x eventsPerDay records, lazily', () => {
    expect(all).toHaveLength(120_000);
    const gen = generateBulkCloudtrail({ start: START, days: 1000, eventsPerDay: 1000 });
    expect(take(5, gen)).toHaveLength(5); // a large request does not build everything up front
  });

  it('is deterministic and seedable', () => {
    const again = take(3000, generateBulkCloudtrail({ start: START, days: 2, eventsPerDay: 60_000 }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(all.slice(0, 3000)));
    const other = take(10, generateBulkCloudtrail({ start: START, days: 2, eventsPerDay: 60_000, seed: 7 }));
    expect(other[0]?.eventID).not.toBe(all[0]?.eventID);
  });

  it('is in time order, inside [start, start + days)', () => {
    let last = START.toMillis();
    const bad: string[] = [];
    for (const r of all) {
      const t = time(r);
      if (t < last || t >= START.toMillis() + 2 * DAY) bad.push(String(r.eventTime));
      last = t;
    }
    expect(bad).toEqual([]);
  });

  it('yields CloudTrail records that map to OCSF', () => {
    const bad = all.filter(
      (r, i) =>
        i % 97 === 0 &&
        (typeof r.eventID !== 'string' || typeof r.eventName !== 'string' || cloudtrailToOcsf(r) === undefined),
    );
    expect(bad).toEqual([]);
  });

  it('mixes the ordinary traffic kinds', () => {
    const names = new Set(all.map((r) => r.eventName));
    for (const n of [
      'DescribeInstances',
      'AssumeRole',
      'ConsoleLogin',
      'GetCallerIdentity',
      'ListBuckets',
      'PutImage',
      'DescribeImageScanFindings',
      'BatchGetImage',
      'CreateRepository',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('keeps ordinary uploads to the CI users in weekday CI hours, and sprinkles the attack patterns', () => {
    const puts = all.filter((r) => r.eventName === 'PutImage');
    const attacks = puts.filter((r) => String(r.sourceIPAddress).startsWith('203.0.113.'));
    const ordinary = puts.filter((r) => !attacks.includes(r));
    expect(ordinary.length).toBeGreaterThan(100);
    const h = (r: Obj): number => new Date(time(r)).getUTCHours();
    expect(
      ordinary.filter((r) => !CI.includes(String(at(r, 'userIdentity.userName'))) || h(r) < 9 || h(r) >= 18),
    ).toEqual([]);
    const medium = all.filter((r) =>
      ((at(r, 'responseElements.imageScanFindings.findings') as Obj[] | undefined) ?? []).some(
        (f) => f.severity === 'MEDIUM',
      ),
    );
    expect(attacks.length + medium.length).toBeGreaterThan(0);
    expect(medium.every((r) => r.sourceIPAddress === '203.0.113.77')).toBe(true);
  });

  it('refuses bad options', () => {
    expect(() => take(1, generateBulkCloudtrail({ start: START, days: 0, eventsPerDay: 10 }))).toThrow(RangeError);
    expect(() => take(1, generateBulkCloudtrail({ start: START, days: 1.5, eventsPerDay: 10 }))).toThrow(RangeError);
    expect(() => take(1, generateBulkCloudtrail({ start: START, days: 1, eventsPerDay: -1 }))).toThrow(RangeError);
  });
});
