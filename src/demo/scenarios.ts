/**
 * The attacks the demo plants, one per shipped ECR detection, as data plus a small function
 * that plays each one's events. Placed on fixed day offsets before `now` at fixed UTC times
 * of day, always more than two hours back (the latest is two days back at 22:47), so a
 * scheduled run over the period finds each one in exactly one hourly window. Dana's S2, S3
 * and S5 fall within two hours of one afternoon: 140 risk in 24 hours, a risk incident.
 *
 * Risk the shipped detections should add up (score per result row; CloudTrail detections
 * name the user, Security Lake ones the user's ARN):
 *   contractor-dana            49 (S2) + 2 x 21 (S3: two MEDIUM findings) + 49 (S5) = 140
 *   ci-builder                 2 x 49 (S4, CloudTrail view)                            =  98
 *   arn:...:user/ci-builder    2 x 49 (S4)                                             =  98
 *   release-bot                49 (S1)                                                 =  49
 *   arn:...:user/contractor-dana  49 (S5)                                              =  49
 */
import * as calls from './calls.js';
import { DAY_MS, MINUTE_MS, SECOND_MS, dayNumber, isWeekend, utcDayStart } from './clock.js';
import { userAccessKey, userArn, type Principal } from './identity.js';
import { makeImage, MEDIUM_FINDINGS, ROUTINE_FINDINGS, type Image } from './images.js';
import type { CallContext } from './record.js';
import { Rng, seedOf } from './rng.js';
import type { Sink } from './traffic.js';
import { account, AGENTS, ATTACKER, CI_USERS, type AccountAlias, type Region } from './world.js';

/** The shipped detections the scenarios are written for (their `name:` in detections/). */
export const DEMO_DETECTIONS = {
  ctOutsideHours: 'AWS ECR Container Upload Outside Business Hours',
  ctUnknownUser: 'AWS ECR Container Upload Unknown User',
  ctMediumFindings: 'AWS ECR Container Scanning Findings Medium',
  aslOutsideHours: 'ASL AWS ECR Container Upload Outside Business Hours',
  aslUnknownUser: 'ASL AWS ECR Container Upload Unknown User',
} as const;

export interface DemoScenario {
  /** ESCU detection name the scenario is planted for */
  detection: string;
  description: string;
  /** ISO time (UTC) of the first event the detection fires on */
  at: string;
  /** the risk object the detection reports: a user name for CloudTrail, the user's ARN for Security Lake */
  actor: string;
  /**
   * Other shipped detections the same events fire. Security Lake holds the same CloudTrail
   * events, so an upload planted for an ASL detection is seen by its CloudTrail twin too.
   */
  alsoFires: string[];
}

interface ScenarioSpec {
  id: string;
  detection: string;
  alsoFires: string[];
  /** whole days before now's UTC date */
  daysAgo: number;
  /** UTC time of day of the event the detection fires on */
  time: [hour: number, minute: number, second: number];
  /** a business-day scenario: moved back to Friday when the day is a Saturday or Sunday */
  weekdayOnly: boolean;
  account: AccountAlias;
  region: Region;
  actor: (accountId: string) => string;
  description: string;
  play(p: Play): void;
}

/** What a scenario's events are built from. */
interface Play {
  sink: Sink;
  /** time of the event the detection fires on */
  at: number;
  accountId: string;
  region: Region;
  rng: Rng;
  seed: number;
}

const RELEASE_BOT_IP = CI_USERS.find((u) => u.name === 'release-bot')?.ip ?? '198.51.100.11';

const keyUser = (accountId: string, userName: string): Principal => ({
  kind: 'iam-user',
  accountId,
  userName,
  accessKeyId: userAccessKey(accountId, userName),
});

/** The hotfix image the attacker pushes to sandbox, then inspects (S2, S3). */
const hotfixImage = (seed: number): Image => makeImage(new Rng(seedOf(seed, 'scenario-image', 'payments-api-hotfix')));

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    id: 'S1',
    detection: DEMO_DETECTIONS.ctOutsideHours,
    alsoFires: [],
    daysAgo: 4,
    time: [2, 13, 7],
    weekdayOnly: false,
    account: 'sandbox',
    region: 'us-east-1',
    actor: () => 'release-bot',
    description:
      'release-bot pushes billing-worker:nightly to ECR in sandbox at 02:13 UTC, hours outside the release window',
    play({ sink, at, accountId, region, rng }) {
      const ctx = {
        region,
        accountId,
        principal: keyUser(accountId, 'release-bot'),
        sourceIp: RELEASE_BOT_IP,
        userAgent: AGENTS.awsCli,
        rng,
      };
      sink.emit({ ...ctx, timeMs: at - 35 * SECOND_MS }, calls.getAuthorizationToken());
      sink.emit(
        { ...ctx, timeMs: at, userAgent: AGENTS.dockerCi },
        calls.putImage({ accountId, region, repo: 'billing-worker', tag: 'nightly', image: makeImage(rng) }),
      );
    },
  },
  {
    id: 'S2',
    detection: DEMO_DETECTIONS.ctUnknownUser,
    alsoFires: [],
    daysAgo: 3,
    time: [14, 22, 41],
    weekdayOnly: true,
    account: 'sandbox',
    region: 'us-east-1',
    actor: () => ATTACKER.userName,
    description: `${ATTACKER.userName}'s access key, used from ${ATTACKER.ip}, pushes payments-api:v2.3.1-hotfix to ECR in sandbox: not a CI user`,
    play({ sink, at, accountId, region, rng, seed }) {
      const ctx = {
        region,
        accountId,
        principal: keyUser(accountId, ATTACKER.userName),
        sourceIp: ATTACKER.ip,
        userAgent: AGENTS.awsCliMac,
        rng,
      };
      sink.emit({ ...ctx, timeMs: at - 6 * MINUTE_MS }, calls.getCallerIdentity());
      sink.emit({ ...ctx, timeMs: at - 70 * SECOND_MS }, calls.getAuthorizationToken());
      sink.emit(
        { ...ctx, timeMs: at, userAgent: AGENTS.dockerMac },
        calls.putImage({ accountId, region, repo: 'payments-api', tag: 'v2.3.1-hotfix', image: hotfixImage(seed) }),
      );
    },
  },
  {
    id: 'S3',
    detection: DEMO_DETECTIONS.ctMediumFindings,
    alsoFires: [],
    daysAgo: 3,
    time: [14, 31, 9],
    weekdayOnly: true,
    account: 'sandbox',
    region: 'us-east-1',
    actor: () => ATTACKER.userName,
    description: `${ATTACKER.userName} reads the scan of the pushed payments-api:v2.3.1-hotfix: two MEDIUM findings (openssl, setuptools)`,
    play({ sink, at, accountId, region, rng, seed }) {
      const ctx: CallContext = {
        timeMs: at,
        region,
        accountId,
        principal: keyUser(accountId, ATTACKER.userName),
        sourceIp: ATTACKER.ip,
        userAgent: AGENTS.awsCliMac,
        rng,
      };
      const findings = [ROUTINE_FINDINGS[0], ...MEDIUM_FINDINGS, ROUTINE_FINDINGS[3]].filter((f) => f !== undefined);
      sink.emit(
        ctx,
        calls.describeImageScanFindings({
          accountId,
          region,
          repo: 'payments-api',
          tag: 'v2.3.1-hotfix',
          image: hotfixImage(seed),
          findings,
          completedMs: at - 40 * SECOND_MS,
        }),
      );
    },
  },
  {
    id: 'S4',
    detection: DEMO_DETECTIONS.aslOutsideHours,
    alsoFires: [DEMO_DETECTIONS.ctOutsideHours],
    daysAgo: 2,
    time: [22, 47, 15],
    weekdayOnly: false,
    account: 'prod',
    region: 'us-east-1',
    actor: (accountId) => userArn(accountId, 'ci-builder'),
    description: `ci-builder's key, replayed from ${ATTACKER.replayIp}, pushes web-frontend:latest and auth-service:latest to prod at 22:47 and 22:52 UTC`,
    play({ sink, at, accountId, region, rng }) {
      const ctx = {
        region,
        accountId,
        principal: keyUser(accountId, 'ci-builder'),
        sourceIp: ATTACKER.replayIp,
        userAgent: AGENTS.awsCli,
        rng,
      };
      sink.emit({ ...ctx, timeMs: at - 50 * SECOND_MS }, calls.getAuthorizationToken());
      sink.emit(
        { ...ctx, timeMs: at, userAgent: AGENTS.dockerCi },
        calls.putImage({ accountId, region, repo: 'web-frontend', tag: 'latest', image: makeImage(rng) }),
      );
      sink.emit(
        { ...ctx, timeMs: at + 5 * MINUTE_MS + 25 * SECOND_MS, userAgent: AGENTS.dockerCi },
        calls.putImage({ accountId, region, repo: 'auth-service', tag: 'latest', image: makeImage(rng) }),
      );
    },
  },
  {
    id: 'S5',
    detection: DEMO_DETECTIONS.aslUnknownUser,
    alsoFires: [DEMO_DETECTIONS.ctUnknownUser],
    // the afternoon of S2 and S3: dana's 140 in two hours raises a risk_score_24h incident
    daysAgo: 3,
    time: [16, 5, 52],
    weekdayOnly: true,
    account: 'prod',
    region: 'us-east-1',
    actor: (accountId) => userArn(accountId, ATTACKER.userName),
    description: `${ATTACKER.userName}'s key pushes payments-api:v2.3.1 to prod from ${ATTACKER.ip}: not a CI user`,
    play({ sink, at, accountId, region, rng, seed }) {
      const ctx = {
        region,
        accountId,
        principal: keyUser(accountId, ATTACKER.userName),
        sourceIp: ATTACKER.ip,
        userAgent: AGENTS.awsCliMac,
        rng,
      };
      sink.emit({ ...ctx, timeMs: at - 40 * SECOND_MS }, calls.getAuthorizationToken());
      sink.emit(
        { ...ctx, timeMs: at, userAgent: AGENTS.dockerMac },
        calls.putImage({ accountId, region, repo: 'payments-api', tag: 'v2.3.1', image: hotfixImage(seed) }),
      );
    },
  },
];

/** When a scenario happens for a given now (epoch ms). */
export function scenarioTime(spec: ScenarioSpec, nowMs: number): number {
  let day = utcDayStart(nowMs) - spec.daysAgo * DAY_MS;
  if (spec.weekdayOnly) while (isWeekend(day)) day -= DAY_MS;
  const [h, m, s] = spec.time;
  return day + ((h * 60 + m) * 60 + s) * SECOND_MS;
}

/** Earliest event of a scenario relative to `at` (its context calls come first). */
const LEAD_MS = 10 * MINUTE_MS;

/**
 * The scenarios whose events all fall in [startMs, nowMs), with their events. Scenarios that
 * would start before the period (a short `days`) are left out whole, never cut in half.
 */
export function playScenarios(seed: number, startMs: number, nowMs: number, sink: Sink): DemoScenario[] {
  const out: DemoScenario[] = [];
  for (const spec of SCENARIOS) {
    const at = scenarioTime(spec, nowMs);
    if (at - LEAD_MS < startMs) continue;
    const acct = account(spec.account);
    spec.play({
      sink,
      at,
      accountId: acct.id,
      region: spec.region,
      rng: new Rng(seedOf(seed, 'scenario', spec.id, dayNumber(at))),
      seed,
    });
    out.push({
      detection: spec.detection,
      description: spec.description,
      at: new Date(at).toISOString(),
      actor: spec.actor(acct.id),
      alsoFires: [...spec.alsoFires],
    });
  }
  return out;
}
