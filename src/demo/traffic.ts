/**
 * Ordinary traffic for one UTC day: what the organisation in world.ts does when nobody is
 * attacking it. Each activity stream has its own PRNG seeded by (seed, stream, day), so a day
 * is the same whatever period it is generated in and streams do not disturb one another.
 *
 * Invariants the demo's detections rely on (tested in test/demo):
 *  - PutImage only by the CI users, on weekdays, between 09:00 and 18:00 UTC;
 *  - image scan findings are only LOW or INFORMATIONAL;
 *  - every event of day D lies within [D, D + 1 day).
 */
import * as calls from './calls.js';
import { HOUR_MS, MINUTE_MS, SECOND_MS, dayNumber, isWeekend } from './clock.js';
import { userAccessKey, userId, type Principal } from './identity.js';
import { layerDigests, makeImage, ROUTINE_FINDINGS, type Finding, type Image } from './images.js';
import type { JsonObject } from './json.js';
import { cloudTrailRecord, type ApiCall, type CallContext } from './record.js';
import { Rng, seedOf, UPPER_ALNUM } from './rng.js';
import {
  account,
  ACCOUNTS,
  AGENTS,
  CI_HOURS,
  CI_USERS,
  CLUSTERS,
  NAME_WORDS,
  PEOPLE,
  REGIONS,
  REPOSITORIES,
  ROLES,
  type Account,
  type AccountAlias,
  type CiUser,
  type Cluster,
  type Person,
} from './world.js';

/** A record with its time as a number, for sorting and window filtering. */
export interface TimedRecord {
  timeMs: number;
  record: JsonObject;
}

/** Collects the records of a generator run. */
export class Sink {
  readonly records: TimedRecord[] = [];

  emit(ctx: CallContext, call: ApiCall): void {
    this.records.push({ timeMs: ctx.timeMs, record: cloudTrailRecord(ctx, call) });
  }
}

export function ordinaryDay(seed: number, dayStartMs: number): TimedRecord[] {
  const sink = new Sink();
  const day = dayNumber(dayStartMs);
  const images = new DeployedImages(seed, day);
  for (const acct of ACCOUNTS) inventoryCollector(sink, seed, day, dayStartMs, acct);
  for (const cluster of CLUSTERS) eksImagePulls(sink, seed, day, dayStartMs, cluster, images);
  if (!isWeekend(dayStartMs)) {
    for (const ci of CI_USERS)
      for (const alias of ci.accounts) ciPipelines(sink, seed, day, dayStartMs, ci, account(alias));
  }
  for (const person of PEOPLE) personDay(sink, seed, day, dayStartMs, person, images);
  return sink.records;
}

const sessionKey = (rng: Rng): string => `ASIA${rng.chars(16, UPPER_ALNUM)}`;

/** The image each repository runs on a given day (what clusters pull and people inspect). */
export class DeployedImages {
  private readonly cache = new Map<string, { tag: string; image: Image }>();

  constructor(
    private readonly seed: number,
    private readonly day: number,
  ) {}

  get(accountId: string, repo: string): { tag: string; image: Image } {
    const key = `${accountId}/${repo}`;
    let found = this.cache.get(key);
    if (!found) {
      const rng = new Rng(seedOf(this.seed, 'deployed', accountId, repo, this.day));
      found = { tag: `sha-${rng.hex(7)}`, image: makeImage(rng) };
      this.cache.set(key, found);
    }
    return found;
  }
}

/** A scan result drawn from the routine (LOW/INFORMATIONAL) findings. */
export function routineFindings(rng: Rng): Finding[] {
  return ROUTINE_FINDINGS.filter(() => rng.chance(0.5));
}

/**
 * A Lambda inventories every account each 15 minutes (DescribeInstances in each region, and
 * ListBuckets on the hour), with credentials Lambda refreshes hourly (AssumeRole by
 * lambda.amazonaws.com).
 */
function inventoryCollector(sink: Sink, seed: number, day: number, dayStart: number, acct: Account): void {
  const rng = new Rng(seedOf(seed, 'inventory', acct.alias, day));
  const home = acct.ecrRegions[0] ?? 'us-east-1';
  const offset = 5 * SECOND_MS + ACCOUNTS.indexOf(acct) * 97 * SECOND_MS;
  let principal: Principal | undefined;
  for (let k = 0; k < 96; k++) {
    const t = dayStart + offset + k * 15 * MINUTE_MS + rng.int(0, 20) * SECOND_MS;
    const onTheHour = k % 4 === 0;
    if (onTheHour || !principal) {
      const accessKeyId = sessionKey(rng);
      const refreshed = t - 2 * SECOND_MS;
      sink.emit(
        {
          timeMs: refreshed,
          region: home,
          accountId: acct.id,
          principal: { kind: 'service', service: 'lambda.amazonaws.com' },
          sourceIp: 'lambda.amazonaws.com',
          userAgent: 'lambda.amazonaws.com',
          rng,
        },
        calls.assumeRole({
          accountId: acct.id,
          roleName: ROLES.inventory,
          sessionName: 'inventory-collector',
          accessKeyId,
          timeMs: refreshed,
          rng,
          byService: true,
        }),
      );
      principal = {
        kind: 'assumed-role',
        accountId: acct.id,
        roleName: ROLES.inventory,
        sessionName: 'inventory-collector',
        accessKeyId,
        createdMs: refreshed,
        mfa: false,
        fromConsole: false,
      };
    }
    const base = { accountId: acct.id, principal, sourceIp: acct.lambdaIp, userAgent: AGENTS.lambda, rng };
    REGIONS.forEach((region, i) =>
      sink.emit({ ...base, timeMs: t + i * SECOND_MS, region }, calls.describeInstances()),
    );
    if (onTheHour) sink.emit({ ...base, timeMs: t + 3 * SECOND_MS, region: home }, calls.listBuckets(rng));
  }
}

/** EKS nodes pull the deployed images through the ECR VPC endpoint, refreshing their token every 6 hours. */
function eksImagePulls(
  sink: Sink,
  seed: number,
  day: number,
  dayStart: number,
  cluster: Cluster,
  images: DeployedImages,
): void {
  const rng = new Rng(seedOf(seed, 'eks', cluster.account, cluster.region, day));
  const acct = account(cluster.account);
  const nodes = cluster.nodes.map((node, i) => ({
    ...node,
    principal: {
      kind: 'assumed-role',
      accountId: acct.id,
      roleName: ROLES.eksNode,
      sessionName: node.instanceId,
      accessKeyId: sessionKey(rng),
      createdMs: dayStart + (i + 1) * SECOND_MS,
      mfa: false,
      fromConsole: false,
    } satisfies Principal,
  }));
  for (let h = 0; h < 24; h++) {
    const hour = dayStart + h * HOUR_MS;
    if (h % 6 === 0) {
      nodes.forEach((node, i) =>
        sink.emit(
          {
            timeMs: hour + (90 + 7 * i) * SECOND_MS,
            region: cluster.region,
            accountId: acct.id,
            principal: node.principal,
            sourceIp: node.ip,
            userAgent: AGENTS.ecrCredentialProvider,
            rng,
            vpcEndpointId: cluster.vpcEndpointId,
          },
          calls.getAuthorizationToken(),
        ),
      );
    }
    const pulls = rng.int(1, 4);
    for (let j = 0; j < pulls; j++) {
      const node = rng.pick(nodes);
      const repo = rng.pick(REPOSITORIES);
      const { tag, image } = images.get(acct.id, repo);
      const t = hour + rng.int(300, 3500) * SECOND_MS;
      const ctx = {
        region: cluster.region,
        accountId: acct.id,
        principal: node.principal,
        sourceIp: node.ip,
        userAgent: AGENTS.containerd,
        rng,
        vpcEndpointId: cluster.vpcEndpointId,
      };
      sink.emit({ ...ctx, timeMs: t }, calls.batchGetImage({ accountId: acct.id, region: cluster.region, repo, tag }));
      const layers = layerDigests(image).slice(0, rng.int(1, 3));
      layers.forEach((layerDigest, l) =>
        sink.emit(
          { ...ctx, timeMs: t + (l + 1) * SECOND_MS },
          calls.getDownloadUrlForLayer({ accountId: acct.id, region: cluster.region, repo, layerDigest }),
        ),
      );
    }
  }
}

/**
 * A CI pipeline: who-am-I, registry login, create-if-missing, push, then read the scan result.
 * Weekdays only, starting between 09:00 and 17:45 UTC and done within 15 minutes.
 */
function ciPipelines(sink: Sink, seed: number, day: number, dayStart: number, ci: CiUser, acct: Account): void {
  const rng = new Rng(seedOf(seed, 'ci', ci.name, acct.alias, day));
  const principal: Principal = {
    kind: 'iam-user',
    accountId: acct.id,
    userName: ci.name,
    accessKeyId: userAccessKey(acct.id, ci.name),
  };
  const runs = rng.int(ci.pipelinesPerDay[0], ci.pipelinesPerDay[1]);
  const window = (CI_HOURS.to - CI_HOURS.from) * 3600 - 15 * 60;
  for (let i = 0; i < runs; i++) {
    let t = dayStart + CI_HOURS.from * HOUR_MS + rng.int(0, window) * SECOND_MS;
    const region = rng.chance(0.8) ? (acct.ecrRegions[0] ?? 'us-east-1') : rng.pick(acct.ecrRegions);
    const repo = rng.pick(REPOSITORIES);
    const tag = ci.name === 'release-bot' ? `v1.${rng.int(0, 40)}.${rng.int(0, 9)}` : `sha-${rng.hex(7)}`;
    const image = makeImage(rng);
    const cli = { region, accountId: acct.id, principal, sourceIp: ci.ip, userAgent: AGENTS.awsCli, rng };
    sink.emit({ ...cli, timeMs: t }, calls.getCallerIdentity());
    t += rng.int(3, 15) * SECOND_MS;
    sink.emit({ ...cli, timeMs: t }, calls.getAuthorizationToken());
    if (rng.chance(0.25)) {
      t += rng.int(2, 5) * SECOND_MS;
      sink.emit(
        { ...cli, timeMs: t },
        calls.createRepository({ accountId: acct.id, region, repo, timeMs: t, alreadyExists: true }),
      );
    }
    t += rng.int(40, 240) * SECOND_MS;
    sink.emit(
      { ...cli, timeMs: t, userAgent: AGENTS.dockerCi },
      calls.putImage({ accountId: acct.id, region, repo, tag, image }),
    );
    const scanned = t + rng.int(20, 60) * SECOND_MS;
    t = scanned + rng.int(5, 60) * SECOND_MS;
    sink.emit(
      { ...cli, timeMs: t },
      calls.describeImageScanFindings({
        accountId: acct.id,
        region,
        repo,
        tag,
        image,
        findings: routineFindings(rng),
        completedMs: scanned,
      }),
    );
  }
}

type ConsoleRead =
  | 'DescribeInstances'
  | 'DescribeSecurityGroups'
  | 'ListBuckets'
  | 'ListUsers'
  | 'DescribeImageScanFindings';
const CONSOLE_READS: readonly { name: ConsoleRead; weight: number }[] = [
  { name: 'DescribeInstances', weight: 30 },
  { name: 'DescribeSecurityGroups', weight: 15 },
  { name: 'ListBuckets', weight: 12 },
  { name: 'ListUsers', weight: 6 },
  { name: 'DescribeImageScanFindings', weight: 5 },
];

/**
 * A person's working day: console sign-in (now and then after a mistyped password), a switch
 * into their role in one account, reads through the day; CLI users add a burst of CLI calls;
 * the admin occasionally creates a repository or a service user.
 */
function personDay(
  sink: Sink,
  seed: number,
  day: number,
  dayStart: number,
  person: Person,
  images: DeployedImages,
): void {
  const rng = new Rng(seedOf(seed, 'person', person.name, day));
  const weekend = isWeekend(dayStart);
  if (!rng.chance(weekend ? person.weekendChance : 0.9)) return;
  const aliases = Object.keys(person.roles) as AccountAlias[];
  const alias = rng.pick(aliases);
  const acct = account(alias);
  const roleName = person.roles[alias] ?? 'ReadOnly';
  const home = acct.ecrRegions[0] ?? 'us-east-1';
  let t = dayStart + person.startHour * HOUR_MS + rng.int(0, 90 * 60) * SECOND_MS;
  const browser = { region: home, accountId: acct.id, sourceIp: person.ip, userAgent: person.browser, rng };
  const signIn: Principal = { kind: 'iam-user', accountId: acct.id, userName: person.name };

  if (rng.chance(0.12)) {
    sink.emit(
      { ...browser, principal: signIn, timeMs: t - rng.int(20, 60) * SECOND_MS },
      calls.consoleLogin({ accountId: acct.id, userName: person.name, success: false, mfa: false }),
    );
  }
  sink.emit(
    { ...browser, principal: signIn, timeMs: t },
    calls.consoleLogin({ accountId: acct.id, userName: person.name, success: true, mfa: true }),
  );
  const consoleUser: Principal = {
    kind: 'iam-user',
    accountId: acct.id,
    userName: person.name,
    accessKeyId: sessionKey(rng),
    consoleSession: { createdMs: t, mfa: true },
  };
  t += rng.int(20, 120) * SECOND_MS;
  const roleKey = sessionKey(rng);
  sink.emit(
    { ...browser, principal: consoleUser, timeMs: t },
    calls.assumeRole({ accountId: acct.id, roleName, sessionName: person.name, accessKeyId: roleKey, timeMs: t, rng }),
  );
  const role: Principal = {
    kind: 'assumed-role',
    accountId: acct.id,
    roleName,
    sessionName: person.name,
    accessKeyId: roleKey,
    createdMs: t,
    mfa: true,
    fromConsole: true,
  };
  const sessionStart = t;

  const reads = rng.int(15, 45);
  const offsets = Array.from({ length: reads }, () => rng.int(30, 7 * 3600)).sort((a, b) => a - b);
  for (const off of offsets) {
    const when = sessionStart + off * SECOND_MS;
    const region = rng.chance(0.7) ? home : rng.pick(REGIONS);
    const ctx: CallContext = { ...browser, principal: role, timeMs: when, region, userAgent: AGENTS.console };
    const read = rng.weighted(CONSOLE_READS, (r) => r.weight).name;
    sink.emit(ctx, consoleRead(read, { accountId: acct.id, region, rng, timeMs: when, images }));
  }

  if (person.cli && rng.chance(0.35)) {
    let c = sessionStart + rng.int(3600, 6 * 3600) * SECOND_MS;
    const cliUser: Principal = {
      kind: 'iam-user',
      accountId: acct.id,
      userName: person.name,
      accessKeyId: userAccessKey(acct.id, person.name),
    };
    const cli = {
      region: home,
      accountId: acct.id,
      principal: cliUser,
      sourceIp: person.ip,
      userAgent: AGENTS.awsCliMac,
      rng,
    };
    sink.emit({ ...cli, timeMs: c }, calls.getCallerIdentity());
    for (let i = rng.int(3, 10); i > 0; i--) {
      c += rng.int(5, 120) * SECOND_MS;
      sink.emit({ ...cli, timeMs: c }, rng.chance(0.6) ? calls.describeInstances() : calls.listBuckets(rng));
    }
  }

  if (person.admin && !weekend) {
    const admin = { ...browser, principal: role, userAgent: AGENTS.console };
    if (rng.chance(0.3)) {
      const when = sessionStart + rng.int(600, 5 * 3600) * SECOND_MS;
      const repo = `${rng.pick(NAME_WORDS)}-${rng.int(1, 99)}`;
      sink.emit(
        { ...admin, timeMs: when },
        calls.createRepository({ accountId: acct.id, region: home, repo, timeMs: when, alreadyExists: false }),
      );
    }
    if (rng.chance(0.25)) {
      const when = sessionStart + rng.int(600, 5 * 3600) * SECOND_MS;
      const userName = `svc-${rng.pick(NAME_WORDS)}-${rng.int(1, 99)}`;
      sink.emit(
        { ...admin, timeMs: when },
        calls.createUser({ accountId: acct.id, userName, userId: userId(acct.id, userName), timeMs: when }),
      );
      sink.emit(
        { ...admin, timeMs: when + rng.int(10, 90) * SECOND_MS },
        calls.attachUserPolicy({ userName, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      );
    }
  }
}

function consoleRead(
  read: ConsoleRead,
  args: { accountId: string; region: string; rng: Rng; timeMs: number; images: DeployedImages },
): ApiCall {
  switch (read) {
    case 'DescribeInstances':
      return calls.describeInstances();
    case 'DescribeSecurityGroups':
      return calls.describeSecurityGroups();
    case 'ListBuckets':
      return calls.listBuckets(args.rng);
    case 'ListUsers':
      return calls.listUsers();
    case 'DescribeImageScanFindings': {
      const repo = args.rng.pick(REPOSITORIES);
      const { tag, image } = args.images.get(args.accountId, repo);
      const findings = routineFindings(args.rng);
      return calls.describeImageScanFindings({
        accountId: args.accountId,
        region: args.region,
        repo,
        tag,
        image,
        findings,
        completedMs: args.timeMs - HOUR_MS,
      });
    }
  }
}
