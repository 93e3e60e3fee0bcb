/**
 * The planted scenarios, checked field by field against what each shipped detection needs
 * (the SPL compiler is written in parallel, so the detections' conditions are restated here
 * as predicates over the raw fields, following SEMANTICS.md and the add-on field table).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEMO_DETECTIONS, DEMO_MACROS, generateDemoData, type DemoScenario } from '../../src/demo/index.js';
import { SCENARIOS, scenarioTime } from '../../src/demo/scenarios.js';

type Obj = Record<string, unknown>;
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Obj)[k] : undefined), obj);
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `userName IN (a, b)` → [a, b] */
const allowList = (macro: string | undefined): string[] =>
  (/IN \(([^)]*)\)/.exec(macro ?? '')?.[1] ?? '').split(',').map((s) => s.trim().toLowerCase());
const CT_USERS = allowList(DEMO_MACROS.aws_ecr_users);
const ASL_USERS = allowList(DEMO_MACROS.aws_ecr_users_asl);

/** The add-on's `userName`/`user_name`: userName, sourceIdentity, the issuer's name, the ARN's tail. */
const userName = (r: Obj): string | undefined => {
  const direct =
    at(r, 'userIdentity.userName') ??
    at(r, 'requestParameters.sourceIdentity') ??
    at(r, 'userIdentity.sessionContext.sessionIssuer.userName');
  if (present(direct)) return String(direct);
  const arn = at(r, 'userIdentity.arn');
  return typeof arn === 'string' ? (arn.split(':').pop() ?? '').split('/').pop() : undefined;
};
const ctTime = (r: Obj): number => Date.parse(String(r.eventTime));
/** date_hour / date_wday of the add-on, and strftime in UTC for the ASL searches */
const offHours = (ms: number): boolean => {
  const d = new Date(ms);
  return d.getUTCHours() >= 20 || d.getUTCHours() < 8 || d.getUTCDay() === 0 || d.getUTCDay() === 6;
};
const isEcrPut = (r: Obj): boolean => r.eventSource === 'ecr.amazonaws.com' && r.eventName === 'PutImage';
const mediumFindings = (r: Obj): Obj[] =>
  ((at(r, 'responseElements.imageScanFindings.findings') as Obj[] | undefined) ?? []).filter(
    (f) => String(f.severity).toUpperCase() === 'MEDIUM',
  );

/** Each shipped detection's search condition, and the BY fields its stats needs non-null. */
const CT_DETECTIONS = {
  [DEMO_DETECTIONS.ctOutsideHours]: {
    fires: (r: Obj) => isEcrPut(r) && offHours(ctTime(r)),
    by: [
      'eventName',
      'userAgent',
      'sourceIPAddress',
      'userIdentity.accountId',
      'awsRegion',
      'requestParameters.repositoryName',
    ],
  },
  [DEMO_DETECTIONS.ctUnknownUser]: {
    fires: (r: Obj) => isEcrPut(r) && !CT_USERS.includes(String(userName(r)).toLowerCase()),
    by: [
      'eventName',
      'userAgent',
      'sourceIPAddress',
      'userIdentity.accountId',
      'awsRegion',
      'requestParameters.repositoryName',
    ],
  },
  [DEMO_DETECTIONS.ctMediumFindings]: {
    fires: (r: Obj) =>
      r.eventSource === 'ecr.amazonaws.com' &&
      r.eventName === 'DescribeImageScanFindings' &&
      mediumFindings(r).length > 0,
    by: [
      'eventName',
      'eventSource',
      'userAgent',
      'sourceIPAddress',
      'userIdentity.accountId',
      'awsRegion',
      'requestParameters.imageId.imageDigest',
      'requestParameters.repositoryName',
    ],
  },
} as const;
const ASL_DETECTIONS = {
  [DEMO_DETECTIONS.aslOutsideHours]: {
    fires: (o: Obj) => at(o, 'api.operation') === 'PutImage' && offHours(o.time as number),
    by: [
      'actor.user.uid',
      'api.operation',
      'api.service.name',
      'http_request.user_agent',
      'src_endpoint.ip',
      'actor.user.account.uid',
      'cloud.provider',
      'cloud.region',
      'api.request.data',
    ],
  },
  [DEMO_DETECTIONS.aslUnknownUser]: {
    // `NOT actor.user.name IN (...)` also matches events without the field
    fires: (o: Obj) =>
      at(o, 'api.operation') === 'PutImage' &&
      !ASL_USERS.includes(String(at(o, 'actor.user.name') ?? '').toLowerCase()),
    by: [
      'actor.user.uid',
      'api.operation',
      'api.service.name',
      'http_request.user_agent',
      'src_endpoint.ip',
      'actor.user.account.uid',
      'cloud.provider',
      'cloud.region',
    ],
  },
} as const;

// Fridays, Mondays, Sundays and Wednesdays: the weekday placement rule has work to do
const NOWS = ['2026-11-20T10:00:30Z', '2026-11-23T00:30:00Z', '2026-11-22T23:59:00Z', '2026-11-25T13:45:00Z'].map(
  (iso) => DateTime.fromISO(iso, { zone: 'utc' }),
);

describe.each(NOWS)('scenarios at now = %s', (now) => {
  const data = generateDemoData({ now, days: 7 });
  const nowMs = now.toMillis();
  const scenarioFor = (detection: string): DemoScenario[] =>
    data.scenarios.filter((s) => s.detection === detection || s.alsoFires.includes(detection));

  it('plants one scenario per shipped detection, each more than 2 hours back', () => {
    expect(data.scenarios.map((s) => s.detection).sort()).toEqual(Object.values(DEMO_DETECTIONS).sort());
    for (const s of data.scenarios) {
      expect(Date.parse(s.at)).toBeLessThanOrEqual(nowMs - 2 * HOUR);
      expect(Date.parse(s.at)).toBeGreaterThanOrEqual(nowMs - 7 * DAY);
    }
  });

  it.each(Object.entries(CT_DETECTIONS))('%s fires on its scenarios and nothing else (CloudTrail)', (name, det) => {
    const firing = data.cloudtrail.filter(det.fires);
    const expected = scenarioFor(name);
    expect(expected.length).toBeGreaterThan(0);
    for (const s of expected) {
      const hit = firing.filter((r) => ctTime(r) === Date.parse(s.at));
      expect(hit.length, `${name}: no event at ${s.at}`).toBe(1);
      const [r] = hit as [Obj];
      for (const field of det.by) expect(present(at(r, field)), `${name}: ${field} at ${s.at}`).toBe(true);
      if (s.detection === name) expect(userName(r), 'the risk object (user)').toBe(s.actor);
    }
    // every firing event belongs to a scenario (a scenario's burst lasts under 10 minutes)
    const stray = firing.filter(
      (r) => !expected.some((s) => ctTime(r) >= Date.parse(s.at) && ctTime(r) < Date.parse(s.at) + 10 * 60_000),
    );
    expect(stray.map((r) => `${String(r.eventTime)} ${String(userName(r))}`)).toEqual([]);
  });

  it.each(Object.entries(ASL_DETECTIONS))('%s fires on its scenarios and nothing else (Security Lake)', (name, det) => {
    const firing = data.ocsf.filter(det.fires);
    const expected = scenarioFor(name);
    expect(expected.length).toBeGreaterThan(0);
    for (const s of expected) {
      const hit = firing.filter((o) => o.time === Date.parse(s.at));
      expect(hit.length, `${name}: no event at ${s.at}`).toBe(1);
      const [o] = hit as [Obj];
      for (const field of det.by) expect(present(at(o, field)), `${name}: ${field} at ${s.at}`).toBe(true);
      if (s.detection === name) expect(at(o, 'actor.user.uid')).toBe(s.actor);
    }
    const stray = firing.filter(
      (o) =>
        !expected.some(
          (s) => (o.time as number) >= Date.parse(s.at) && (o.time as number) < Date.parse(s.at) + 10 * 60_000,
        ),
    );
    expect(stray.map((o) => `${String(o.time_dt)} ${String(at(o, 'actor.user.uid'))}`)).toEqual([]);
  });

  it('the medium-findings scan has two MEDIUM findings with name and description', () => {
    const s = data.scenarios.find((x) => x.detection === DEMO_DETECTIONS.ctMediumFindings);
    const scan = data.cloudtrail.find(
      (r) => r.eventName === 'DescribeImageScanFindings' && ctTime(r) === Date.parse(s?.at ?? ''),
    );
    const medium = mediumFindings(scan ?? {});
    expect(medium).toHaveLength(2);
    for (const f of medium) {
      expect(present(f.name) && present(f.description)).toBe(true);
    }
  });

  it('the ordinary uploads stay within weekday business hours, by the CI users', () => {
    const planted = new Set(data.scenarios.map((s) => s.at));
    const ordinary = data.cloudtrail.filter(
      (r) => isEcrPut(r) && ![...planted].some((a) => Math.abs(ctTime(r) - Date.parse(a)) < 10 * 60_000),
    );
    expect(ordinary.length).toBeGreaterThan(20);
    expect(ordinary.filter((r) => offHours(ctTime(r)) || !CT_USERS.includes(String(userName(r))))).toEqual([]);
  });
});

describe('scenario risk adds up to a clear top risk object', () => {
  const now = NOWS[0] as DateTime;
  const data = generateDemoData({ now, days: 7 });
  /** score per detection, from the shipped YAML (rba.risk_objects[0].score) */
  const scores = new Map<string, number>();
  for (const file of [
    'aws_ecr_container_upload_outside_business_hours.yml',
    'aws_ecr_container_upload_unknown_user.yml',
    'aws_ecr_container_scanning_findings_medium.yml',
    'asl_aws_ecr_container_upload_outside_business_hours.yml',
    'asl_aws_ecr_container_upload_unknown_user.yml',
  ]) {
    const doc = parseYaml(readFileSync(join(projectRoot, 'detections', file), 'utf8')) as {
      name: string;
      rba: { risk_objects: { score: number }[] };
    };
    scores.set(doc.name, doc.rba.risk_objects[0]?.score ?? 0);
  }

  it('accumulates different scores per risk object, the attacker on top', () => {
    const risk = new Map<string, number>();
    const add = (object: string, detection: string, rows: number): void => {
      risk.set(object, (risk.get(object) ?? 0) + rows * (scores.get(detection) ?? 0));
    };
    // one result row per firing event here: each planted event is alone in its hourly window and
    // BY group; the medium-findings search makes one row per MEDIUM finding
    for (const [name, det] of Object.entries(CT_DETECTIONS)) {
      for (const r of data.cloudtrail.filter(det.fires))
        add(String(userName(r)), name, name === DEMO_DETECTIONS.ctMediumFindings ? mediumFindings(r).length : 1);
    }
    for (const [name, det] of Object.entries(ASL_DETECTIONS)) {
      for (const o of data.ocsf.filter(det.fires)) add(String(at(o, 'actor.user.uid')), name, 1);
    }
    const ranked = [...risk.entries()].sort((a, b) => b[1] - a[1]);
    expect(ranked[0]).toEqual(['contractor-dana', 140]);
    expect((ranked[0]?.[1] ?? 0) - (ranked[1]?.[1] ?? 0)).toBeGreaterThanOrEqual(40);
    expect(new Set(ranked.map(([, score]) => score)).size).toBeGreaterThanOrEqual(3);
    expect(ranked.length).toBe(5);
  });
});

describe('scenario placement', () => {
  it('is always > 2 h and < 7 days back, keeps business-day scenarios on weekdays in business hours', () => {
    const start = Date.UTC(2026, 10, 1);
    for (let nowMs = start; nowMs < start + 21 * DAY; nowMs += 53 * 60_000) {
      for (const spec of SCENARIOS) {
        const t = scenarioTime(spec, nowMs);
        expect(t).toBeLessThanOrEqual(nowMs - 2 * HOUR);
        expect(t - 10 * 60_000).toBeGreaterThanOrEqual(nowMs - 7 * DAY);
        const obh = spec.detection.includes('Outside Business Hours');
        expect(offHours(t), `${spec.id} at ${new Date(t).toISOString()}`).toBe(obh);
      }
    }
  });

  it('DEMO_MACROS allow exactly the CI users', () => {
    expect(CT_USERS).toEqual(['ci-builder', 'release-bot']);
    expect(ASL_USERS).toEqual(['ci-builder', 'release-bot']);
    expect(DEMO_MACROS.aws_ecr_users).toBe('userName IN (ci-builder, release-bot)');
    expect(DEMO_MACROS.aws_ecr_users_asl).toBe('actor.user.name IN (ci-builder, release-bot)');
  });
});
