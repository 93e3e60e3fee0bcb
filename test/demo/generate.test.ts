import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { generateDemoData, type DemoData } from '../../src/demo/index.js';
import { playScenarios } from '../../src/demo/scenarios.js';
import { ordinaryDay, Sink } from '../../src/demo/traffic.js';
import { shared } from '../support/shared.js';

type Obj = Record<string, unknown>;
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Obj)[k] : undefined), obj);

const NOW = DateTime.fromISO('2026-11-20T10:00:30Z', { zone: 'utc' }); // a Friday
const DAY = 86_400_000;
const data: DemoData = generateDemoData({ now: NOW, days: 7 });
const nowMs = NOW.toMillis();
const startMs = nowMs - 7 * DAY;
const ctTime = (r: Obj): number => Date.parse(String(r.eventTime));
const scenarioRecords = (now: number, start: number): Obj[] => {
  const sink = new Sink();
  playScenarios(1, start, now, sink);
  return sink.records.map((r) => r.record);
};

const ecrExamples = (
  JSON.parse(readFileSync(shared('reference', 'ecr_doc_examples.cloudtrail.json'), 'utf8')) as { Records: Obj[] }
).Records;

describe('generateDemoData: determinism', () => {
  it('gives byte-identical output for the same (now, days, seed)', () => {
    const again = generateDemoData({ now: NOW, days: 7 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
    const seeded = generateDemoData({ now: NOW, days: 2, seed: 42 });
    expect(JSON.stringify(generateDemoData({ now: NOW, days: 2, seed: 42 }))).toBe(JSON.stringify(seeded));
  });

  it('does not depend on the zone `now` is expressed in', () => {
    const paris = generateDemoData({ now: NOW.setZone('Europe/Paris'), days: 1 });
    expect(JSON.stringify(paris)).toBe(JSON.stringify(generateDemoData({ now: NOW, days: 1 })));
  });

  it('changes with the seed', () => {
    const other = generateDemoData({ now: NOW, days: 1, seed: 2 });
    const mine = generateDemoData({ now: NOW, days: 1 });
    expect(other.cloudtrail[0]?.eventID).not.toBe(mine.cloudtrail[0]?.eventID);
  });

  it('keeps a day the same whatever period it is part of (stable eventIDs across runs)', () => {
    const laterNow = NOW.plus({ hours: 30 });
    const later = generateDemoData({ now: laterNow, days: 7 });
    const byId = new Map(later.cloudtrail.map((r) => [r.eventID, JSON.stringify(r)]));
    // planted scenarios are placed relative to now, so only ordinary traffic must carry over
    const planted = new Set(scenarioRecords(nowMs, startMs).map((r) => r.eventID));
    const overlap = data.cloudtrail.filter(
      (r) => ctTime(r) >= laterNow.toMillis() - 7 * DAY && !planted.has(r.eventID),
    );
    expect(overlap.length).toBeGreaterThan(5000);
    expect(overlap.filter((r) => byId.get(r.eventID) !== JSON.stringify(r))).toEqual([]);
  });

  it('uses UUID-shaped, unique event ids', () => {
    const ids = data.cloudtrail.map((r) => String(r.eventID));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a bad period', () => {
    expect(() => generateDemoData({ now: NOW, days: 0 })).toThrow(RangeError);
    expect(() => generateDemoData({ now: NOW, days: Number.NaN })).toThrow(RangeError);
    expect(() => generateDemoData({ now: DateTime.invalid('test'), days: 1 })).toThrow(RangeError);
  });
});

describe('generateDemoData: the period', () => {
  it('never produces an event at or after now, nor before now - days', () => {
    const outside = (t: number): boolean => t >= nowMs || t < startMs;
    expect(data.cloudtrail.filter((r) => outside(ctTime(r))).map((r) => r.eventTime)).toEqual([]);
    expect(data.ocsf.filter((o) => outside(o.time as number)).map((o) => o.time_dt)).toEqual([]);
    expect(Math.max(...data.cloudtrail.map(ctTime))).toBeGreaterThan(nowMs - 3_600_000); // and it runs right up to now
  });

  it('is sorted oldest first, in both views', () => {
    const ct = data.cloudtrail.map(ctTime);
    expect(ct).toEqual([...ct].sort((a, b) => a - b));
    const ocsf = data.ocsf.map((o) => o.time as number);
    expect(ocsf).toEqual([...ocsf].sort((a, b) => a - b));
  });

  it('cuts a fractional period exactly', () => {
    const half = generateDemoData({ now: NOW, days: 0.5 });
    expect(half.cloudtrail.length).toBeGreaterThan(100);
    for (const r of half.cloudtrail) expect(ctTime(r)).toBeGreaterThanOrEqual(nowMs - DAY / 2);
    expect(half.scenarios).toEqual([]); // every scenario is more than half a day back
  });

  it('keeps every event of an ordinary day inside that day', () => {
    for (let d = 0; d < 7; d++) {
      const dayStart = Date.UTC(2026, 10, 14 + d);
      const records = ordinaryDay(1, dayStart);
      expect(
        records.filter((r) => r.timeMs < dayStart || r.timeMs >= dayStart + DAY || ctTime(r.record) !== r.timeMs),
      ).toEqual([]);
    }
  });

  it('takes well under a second for 7 days (budget generous for loaded CI machines)', () => {
    const t = performance.now();
    generateDemoData({ now: NOW.plus({ days: 100 }), days: 7 });
    expect(performance.now() - t).toBeLessThan(2500);
  });
});

describe('generateDemoData: every record classifies', () => {
  it('CloudTrail records have eventTime, eventName, eventID and no OCSF class', () => {
    const bad = data.cloudtrail.filter(
      (r) =>
        typeof r.eventName !== 'string' ||
        typeof r.eventID !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(r.eventTime)) ||
        r.class_uid !== undefined,
    );
    expect(bad).toEqual([]);
  });

  it('OCSF records have class_uid, time, metadata.uid and no CloudTrail fields', () => {
    const bad = data.ocsf.filter(
      (o) =>
        ![3001, 3002, 6003].includes(o.class_uid as number) ||
        typeof o.time !== 'number' ||
        typeof at(o, 'metadata.uid') !== 'string' ||
        at(o, 'metadata.version') !== '1.1.0' ||
        o.eventTime !== undefined ||
        typeof o.accountid !== 'string' ||
        typeof o.region !== 'string',
    );
    expect(bad).toEqual([]);
  });

  it('OCSF is exactly the Security Lake accounts’ share of the CloudTrail events', () => {
    const lakeAccounts = new Set(data.ocsf.map((o) => o.accountid));
    expect(lakeAccounts.size).toBe(2);
    const expected = data.cloudtrail.filter((r) => lakeAccounts.has(r.recipientAccountId)).map((r) => r.eventID);
    expect(data.ocsf.map((o) => at(o, 'metadata.uid'))).toEqual(expected);
    expect(expected.length).toBeLessThan(data.cloudtrail.length);
  });
});

describe('generateDemoData: realistic ordinary traffic', () => {
  const names = new Set(data.cloudtrail.map((r) => r.eventName));

  it('has a few thousand events a day', () => {
    expect(data.cloudtrail.length / 7).toBeGreaterThan(1000);
    expect(data.cloudtrail.length / 7).toBeLessThan(5000);
  });

  it.each([
    'ConsoleLogin',
    'AssumeRole',
    'DescribeInstances',
    'GetCallerIdentity',
    'ListBuckets',
    'CreateRepository',
    'PutImage',
    'DescribeImageScanFindings',
    'BatchGetImage',
    'GetDownloadUrlForLayer',
    'GetAuthorizationToken',
    'CreateUser',
  ])('includes %s', (name) => {
    expect(names).toContain(name);
  });

  it('spreads over 3 accounts, 3 regions and several principals of each kind', () => {
    expect(new Set(data.cloudtrail.map((r) => r.recipientAccountId)).size).toBe(3);
    expect(new Set(data.cloudtrail.map((r) => r.awsRegion))).toEqual(new Set(['us-east-1', 'us-west-2', 'eu-west-1']));
    expect(new Set(data.cloudtrail.map((r) => at(r, 'userIdentity.type')))).toEqual(
      new Set(['IAMUser', 'AssumedRole', 'AWSService']),
    );
    const iamUsers = new Set(
      data.cloudtrail
        .filter((r) => at(r, 'userIdentity.type') === 'IAMUser')
        .map((r) => at(r, 'userIdentity.userName')),
    );
    expect(iamUsers.size).toBeGreaterThanOrEqual(6);
    const roles = new Set(
      data.cloudtrail.map((r) => at(r, 'userIdentity.sessionContext.sessionIssuer.userName')).filter(Boolean),
    );
    expect(roles.size).toBeGreaterThanOrEqual(4);
  });

  it('has the three OCSF classes', () => {
    expect(new Set(data.ocsf.map((o) => o.class_uid))).toEqual(new Set([3001, 3002, 6003]));
  });

  it('includes failures (a mistyped console password, CI create-if-missing)', () => {
    expect(
      data.cloudtrail.some(
        (r) => r.eventName === 'ConsoleLogin' && at(r, 'responseElements.ConsoleLogin') === 'Failure',
      ),
    ).toBe(true);
    expect(data.cloudtrail.some((r) => r.errorCode === 'RepositoryAlreadyExistsException')).toBe(true);
    expect(data.ocsf.some((o) => o.status === 'Failure')).toBe(true);
  });
});

describe('generateDemoData: records shaped like the ECR user guide examples', () => {
  const example = (name: string): Obj => {
    const found = ecrExamples.find((r) => r.eventName === name);
    if (!found) throw new Error(`no ${name} example`);
    return found;
  };
  const ours = (name: string): Obj => {
    const found = data.cloudtrail.find((r) => r.eventName === name && r.errorCode === undefined);
    if (!found) throw new Error(`no ${name} in the demo`);
    return found;
  };
  const keys = (o: unknown): string[] => Object.keys((o ?? {}) as Obj).sort();

  it.each(['PutImage', 'CreateRepository', 'BatchGetImage'])('%s has every top-level field of the example', (name) => {
    const missing = keys(example(name)).filter((k) => !(k in ours(name)));
    expect(missing).toEqual([]);
  });

  it('PutImage: the same request and response structure, digest = sha256(manifest)', () => {
    const mine = ours('PutImage');
    expect(keys(mine.requestParameters)).toEqual(keys(example('PutImage').requestParameters));
    expect(keys(at(mine, 'responseElements.image'))).toEqual(keys(at(example('PutImage'), 'responseElements.image')));
    expect(keys(at(mine, 'responseElements.image.imageId'))).toEqual(
      keys(at(example('PutImage'), 'responseElements.image.imageId')),
    );
    const manifest = String(at(mine, 'requestParameters.imageManifest'));
    expect(JSON.parse(manifest)).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(at(mine, 'responseElements.image.imageId.imageDigest')).toBe(
      `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
    );
    expect(at(mine, 'requestParameters.registryId')).toBe(at(mine, 'recipientAccountId'));
  });

  it('CreateRepository and BatchGetImage: the same request/response keys', () => {
    expect(keys(at(ours('CreateRepository'), 'responseElements.repository'))).toEqual(
      keys(at(example('CreateRepository'), 'responseElements.repository')),
    );
    expect(keys(ours('BatchGetImage').requestParameters)).toEqual(keys(example('BatchGetImage').requestParameters));
    expect(String(at(ours('CreateRepository'), 'responseElements.repository.createdAt'))).toMatch(
      /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/,
    );
  });

  it('DescribeImageScanFindings: findings are {name, description, uri, severity, attributes[{key, value}]}', () => {
    const scan = ours('DescribeImageScanFindings');
    expect(at(scan, 'requestParameters.imageId.imageDigest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const findings = at(scan, 'responseElements.imageScanFindings.findings') as Obj[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(keys(f)).toEqual(['attributes', 'description', 'name', 'severity', 'uri']);
      for (const a of f.attributes as Obj[]) expect(keys(a)).toEqual(['key', 'value']);
    }
    const counts = at(scan, 'responseElements.imageScanFindings.findingSeverityCounts') as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(findings.length);
  });
});
