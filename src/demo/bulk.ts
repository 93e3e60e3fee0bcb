/**
 * A large deterministic CloudTrail stream for benchmarks: the demo organisation's kinds of
 * traffic drawn independently event by event (no sessions, so volume is free to choose),
 * with a sprinkle of the attack patterns the ECR detections look for. Records are produced
 * lazily, in time order, so 1,000,000 of them never sit in memory at once.
 */
import type { DateTime } from 'luxon';
import * as calls from './calls.js';
import { DAY_MS, HOUR_MS, SECOND_MS, isWeekend, outsideEcrBusinessHours, utcHour } from './clock.js';
import { userAccessKey, userId, type Principal } from './identity.js';
import { layerDigests, makeImage, MEDIUM_FINDINGS, ROUTINE_FINDINGS, type Image } from './images.js';
import type { JsonObject } from './json.js';
import { cloudTrailRecord, type ApiCall, type CallContext } from './record.js';
import { Rng, seedOf, UPPER_ALNUM } from './rng.js';
import { DeployedImages, routineFindings } from './traffic.js';
import {
  account,
  ACCOUNTS,
  AGENTS,
  ATTACKER,
  CI_HOURS,
  CI_USERS,
  CLUSTERS,
  NAME_WORDS,
  PEOPLE,
  REGIONS,
  REPOSITORIES,
  ROLES,
  type Account,
  type Person,
} from './world.js';

export interface BulkOptions {
  /** first instant of the stream */
  start: DateTime;
  /** whole days */
  days: number;
  eventsPerDay: number;
  seed?: number;
}

type Kind =
  | 'DescribeInstances'
  | 'DescribeSecurityGroups'
  | 'ListBuckets'
  | 'GetCallerIdentity'
  | 'AssumeRole'
  | 'ConsoleLogin'
  | 'ListUsers'
  | 'BatchGetImage'
  | 'GetDownloadUrlForLayer'
  | 'GetAuthorizationToken'
  | 'PutImage'
  | 'DescribeImageScanFindings'
  | 'CreateRepository'
  | 'CreateUser';

/** The traffic mix, per event drawn (weights, not percentages). */
const MIX: readonly { kind: Kind; weight: number }[] = [
  { kind: 'DescribeInstances', weight: 30 },
  { kind: 'DescribeSecurityGroups', weight: 6 },
  { kind: 'ListBuckets', weight: 6 },
  { kind: 'GetCallerIdentity', weight: 5 },
  { kind: 'AssumeRole', weight: 6 },
  { kind: 'ConsoleLogin', weight: 1 },
  { kind: 'ListUsers', weight: 2 },
  { kind: 'BatchGetImage', weight: 18 },
  { kind: 'GetDownloadUrlForLayer', weight: 16 },
  { kind: 'GetAuthorizationToken', weight: 5 },
  { kind: 'PutImage', weight: 2 },
  { kind: 'DescribeImageScanFindings', weight: 2 },
  { kind: 'CreateRepository', weight: 0.5 },
  { kind: 'CreateUser', weight: 0.1 },
];

/** Read-only calls made by the inventory Lambda and by people in the console. */
const READS = {
  DescribeInstances: () => calls.describeInstances(),
  DescribeSecurityGroups: () => calls.describeSecurityGroups(),
  ListBuckets: (rng: Rng) => calls.listBuckets(rng),
  ListUsers: () => calls.listUsers(),
} satisfies Partial<Record<Kind, (rng: Rng) => ApiCall>>;

/** One event in this many is an attack pattern (about 40 in a million). */
const ATTACK_EVERY = 25_000;

export function* generateBulkCloudtrail(opts: BulkOptions): Generator<Record<string, unknown>> {
  if (!opts.start.isValid) throw new RangeError('generateBulkCloudtrail: start is not a valid time');
  if (!Number.isInteger(opts.days) || opts.days <= 0)
    throw new RangeError(`generateBulkCloudtrail: days must be a positive integer, got ${opts.days}`);
  if (!Number.isInteger(opts.eventsPerDay) || opts.eventsPerDay <= 0) {
    throw new RangeError(`generateBulkCloudtrail: eventsPerDay must be a positive integer, got ${opts.eventsPerDay}`);
  }
  const seed = opts.seed ?? 1;
  const startMs = opts.start.toMillis();
  const n = opts.eventsPerDay;
  for (let d = 0; d < opts.days; d++) {
    const dayStart = startMs + d * DAY_MS;
    const rng = new Rng(seedOf(seed, 'bulk', dayStart, n));
    const day = new BulkDay(seed, dayStart, rng);
    for (let i = 0; i < n; i++) {
      // evenly spread, jittered, whole seconds, never decreasing
      const t = dayStart + Math.floor(((i + rng.next()) / n) * (DAY_MS / SECOND_MS)) * SECOND_MS;
      yield rng.int(1, ATTACK_EVERY) === 1 ? day.attack(t) : day.ordinary(t, rng.weighted(MIX, (m) => m.weight).kind);
    }
  }
}

/** The principals and images of one bulk day. */
class BulkDay {
  private readonly images: DeployedImages;
  private readonly inventory: Map<string, Principal>;
  private readonly peopleIn = new Map<string, Person[]>(
    ACCOUNTS.map((a) => [a.alias, PEOPLE.filter((p) => p.roles[a.alias] !== undefined)]),
  );

  constructor(
    seed: number,
    private readonly dayStart: number,
    private readonly rng: Rng,
  ) {
    this.images = new DeployedImages(seed, Math.floor(dayStart / DAY_MS));
    this.inventory = new Map(
      ACCOUNTS.map((a) => [
        a.id,
        {
          kind: 'assumed-role',
          accountId: a.id,
          roleName: ROLES.inventory,
          sessionName: 'inventory-collector',
          accessKeyId: this.key(),
          createdMs: dayStart,
          mfa: false,
          fromConsole: false,
        },
      ]),
    );
  }

  ordinary(t: number, kind: Kind): JsonObject {
    const { rng } = this;
    const acct = rng.pick(ACCOUNTS);
    const region = rng.pick(REGIONS);
    switch (kind) {
      case 'DescribeInstances':
      case 'DescribeSecurityGroups':
      case 'ListBuckets':
      case 'ListUsers': {
        const ctx = rng.chance(0.6) ? this.lambdaCtx(t, acct, region) : this.personCtx(t, acct, region);
        return cloudTrailRecord(ctx, READS[kind](rng));
      }
      case 'GetCallerIdentity':
        return cloudTrailRecord(this.personCliCtx(t, acct, region), calls.getCallerIdentity());
      case 'AssumeRole': {
        const ctx = this.personCtx(t, acct, region);
        const p = ctx.principal.kind === 'assumed-role' ? ctx.principal : undefined;
        const roleName = p?.roleName ?? 'ReadOnly';
        const sessionName = p?.sessionName ?? 'session';
        const caller: Principal = {
          kind: 'iam-user',
          accountId: acct.id,
          userName: sessionName,
          accessKeyId: this.key(),
          consoleSession: { createdMs: t - 60 * SECOND_MS, mfa: true },
        };
        return cloudTrailRecord(
          { ...ctx, principal: caller },
          calls.assumeRole({ accountId: acct.id, roleName, sessionName, accessKeyId: this.key(), timeMs: t, rng }),
        );
      }
      case 'ConsoleLogin': {
        const person = rng.pick(PEOPLE);
        const ok = rng.chance(0.92);
        return cloudTrailRecord(
          {
            timeMs: t,
            region: 'us-east-1',
            accountId: acct.id,
            principal: { kind: 'iam-user', accountId: acct.id, userName: person.name },
            sourceIp: person.ip,
            userAgent: person.browser,
            rng,
          },
          calls.consoleLogin({ accountId: acct.id, userName: person.name, success: ok, mfa: ok }),
        );
      }
      case 'BatchGetImage':
      case 'GetDownloadUrlForLayer':
      case 'GetAuthorizationToken':
        return this.pull(t, kind);
      case 'PutImage':
      case 'DescribeImageScanFindings':
        return this.ciStep(t, kind);
      case 'CreateRepository': {
        const ci = this.ciCtx(t);
        if (ci)
          return cloudTrailRecord(
            ci.ctx,
            calls.createRepository({
              accountId: ci.acct.id,
              region: ci.ctx.region,
              repo: rng.pick(REPOSITORIES),
              timeMs: t,
              alreadyExists: true,
            }),
          );
        return this.pull(t, 'GetAuthorizationToken');
      }
      case 'CreateUser': {
        const userName = `svc-${rng.pick(NAME_WORDS)}-${rng.int(1, 999)}`;
        return cloudTrailRecord(
          { ...this.personCtx(t, acct, 'us-east-1'), userAgent: AGENTS.console },
          calls.createUser({ accountId: acct.id, userName, userId: userId(acct.id, userName), timeMs: t }),
        );
      }
    }
  }

  /** The ECR patterns the shipped detections fire on, by the demo's attacker or a replayed CI key. */
  attack(t: number): JsonObject {
    const { rng } = this;
    const acct = rng.pick(ACCOUNTS);
    const region = acct.ecrRegions[0] ?? 'us-east-1';
    const repo = rng.pick(REPOSITORIES);
    const image = makeImage(rng);
    const dana: CallContext = {
      timeMs: t,
      region,
      accountId: acct.id,
      principal: {
        kind: 'iam-user',
        accountId: acct.id,
        userName: ATTACKER.userName,
        accessKeyId: userAccessKey(acct.id, ATTACKER.userName),
      },
      sourceIp: ATTACKER.ip,
      userAgent: AGENTS.dockerMac,
      rng,
    };
    const pattern = rng.int(0, 2);
    if (pattern === 1) {
      const findings = [...MEDIUM_FINDINGS, ...ROUTINE_FINDINGS.slice(0, 2)];
      return cloudTrailRecord(
        { ...dana, userAgent: AGENTS.awsCliMac },
        calls.describeImageScanFindings({
          accountId: acct.id,
          region,
          repo,
          tag: 'v9.0',
          image,
          findings,
          completedMs: t - 30 * SECOND_MS,
        }),
      );
    }
    if (pattern === 2 && outsideEcrBusinessHours(t)) {
      // a CI key replayed at night or on a weekend (in business hours it would look ordinary)
      const ci = rng.pick(CI_USERS);
      return cloudTrailRecord(
        {
          ...dana,
          principal: {
            kind: 'iam-user',
            accountId: acct.id,
            userName: ci.name,
            accessKeyId: userAccessKey(acct.id, ci.name),
          },
          sourceIp: ATTACKER.replayIp,
          userAgent: AGENTS.dockerCi,
        },
        calls.putImage({ accountId: acct.id, region, repo, tag: 'latest', image }),
      );
    }
    return cloudTrailRecord(
      dana,
      calls.putImage({ accountId: acct.id, region, repo, tag: `v9.${rng.int(0, 99)}`, image }),
    );
  }

  /** EKS nodes pulling deployed images through the VPC endpoint. */
  private pull(t: number, kind: 'BatchGetImage' | 'GetDownloadUrlForLayer' | 'GetAuthorizationToken'): JsonObject {
    const { rng } = this;
    const cluster = rng.pick(CLUSTERS);
    const node = rng.pick(cluster.nodes);
    const acct = account(cluster.account);
    const ctx: CallContext = {
      timeMs: t,
      region: cluster.region,
      accountId: acct.id,
      principal: {
        kind: 'assumed-role',
        accountId: acct.id,
        roleName: ROLES.eksNode,
        sessionName: node.instanceId,
        accessKeyId: this.key(),
        createdMs: this.dayStart,
        mfa: false,
        fromConsole: false,
      },
      sourceIp: node.ip,
      userAgent: kind === 'GetAuthorizationToken' ? AGENTS.ecrCredentialProvider : AGENTS.containerd,
      rng,
      vpcEndpointId: cluster.vpcEndpointId,
    };
    if (kind === 'GetAuthorizationToken') return cloudTrailRecord(ctx, calls.getAuthorizationToken());
    const repo = rng.pick(REPOSITORIES);
    const { tag, image } = this.images.get(acct.id, repo);
    if (kind === 'BatchGetImage')
      return cloudTrailRecord(ctx, calls.batchGetImage({ accountId: acct.id, region: cluster.region, repo, tag }));
    const layerDigest = rng.pick(layerDigests(image));
    return cloudTrailRecord(
      ctx,
      calls.getDownloadUrlForLayer({ accountId: acct.id, region: cluster.region, repo, layerDigest }),
    );
  }

  /** A CI push or scan read: only on weekdays in CI hours; otherwise the draw becomes an image pull. */
  private ciStep(t: number, kind: 'PutImage' | 'DescribeImageScanFindings'): JsonObject {
    const ci = this.ciCtx(t);
    if (!ci) return this.pull(t, 'BatchGetImage');
    const { rng } = this;
    const repo = rng.pick(REPOSITORIES);
    const tag = `sha-${rng.hex(7)}`;
    const image: Image = this.images.get(ci.acct.id, repo).image;
    if (kind === 'PutImage')
      return cloudTrailRecord(
        { ...ci.ctx, userAgent: AGENTS.dockerCi },
        calls.putImage({ accountId: ci.acct.id, region: ci.ctx.region, repo, tag, image }),
      );
    return cloudTrailRecord(
      ci.ctx,
      calls.describeImageScanFindings({
        accountId: ci.acct.id,
        region: ci.ctx.region,
        repo,
        tag,
        image,
        findings: routineFindings(rng),
        completedMs: t - 40 * SECOND_MS,
      }),
    );
  }

  private ciCtx(t: number): { acct: Account; ctx: CallContext } | undefined {
    // the same rule the demo's CI keeps: weekdays, CI hours (UTC)
    if (isWeekend(t) || utcHour(t) < CI_HOURS.from || utcHour(t) >= CI_HOURS.to) return undefined;
    const { rng } = this;
    const ci = rng.pick(CI_USERS);
    const acct = account(rng.pick(ci.accounts));
    const principal: Principal = {
      kind: 'iam-user',
      accountId: acct.id,
      userName: ci.name,
      accessKeyId: userAccessKey(acct.id, ci.name),
    };
    return {
      acct,
      ctx: {
        timeMs: t,
        region: rng.pick(acct.ecrRegions),
        accountId: acct.id,
        principal,
        sourceIp: ci.ip,
        userAgent: AGENTS.awsCli,
        rng,
      },
    };
  }

  private lambdaCtx(t: number, acct: Account, region: string): CallContext {
    return {
      timeMs: t,
      region,
      accountId: acct.id,
      principal: this.inventory.get(acct.id) as Principal,
      sourceIp: acct.lambdaIp,
      userAgent: AGENTS.lambda,
      rng: this.rng,
    };
  }

  /** a person's console role session in an account they work in (or the first person with a role there) */
  private personCtx(t: number, acct: Account, region: string): CallContext {
    const { rng } = this;
    const person = rng.pick(this.peopleIn.get(acct.alias) ?? PEOPLE);
    const roleName = person.roles[acct.alias] ?? 'ReadOnly';
    return {
      timeMs: t,
      region,
      accountId: acct.id,
      principal: {
        kind: 'assumed-role',
        accountId: acct.id,
        roleName,
        sessionName: person.name,
        accessKeyId: this.key(),
        createdMs: Math.max(this.dayStart, t - HOUR_MS),
        mfa: true,
        fromConsole: true,
      },
      sourceIp: person.ip,
      userAgent: AGENTS.console,
      rng,
    };
  }

  private personCliCtx(t: number, acct: Account, region: string): CallContext {
    const person = this.rng.pick(CLI_PEOPLE);
    return {
      timeMs: t,
      region,
      accountId: acct.id,
      principal: {
        kind: 'iam-user',
        accountId: acct.id,
        userName: person.name,
        accessKeyId: userAccessKey(acct.id, person.name),
      },
      sourceIp: person.ip,
      userAgent: AGENTS.awsCliMac,
      rng: this.rng,
    };
  }

  private key(): string {
    return `ASIA${this.rng.chars(16, UPPER_ALNUM)}`;
  }
}

const CLI_PEOPLE: readonly Person[] = PEOPLE.filter((p) => p.cli);
