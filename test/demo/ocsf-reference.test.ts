import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudtrailToOcsf } from '../../src/demo/index.js';
import { shared } from '../support/shared.js';

/** shared/ sits next to the project root; tests read it in place, never copied in. */
const referenceDir = shared('reference', 'ocsf-1.1.0');

type Obj = Record<string, unknown>;
const readJson = (file: string): Obj => JSON.parse(readFileSync(join(referenceDir, file), 'utf8')) as Obj;
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Obj)[k] : undefined), obj);

const pairs = readdirSync(referenceDir)
  .filter((f) => f.endsWith('.raw'))
  .sort()
  .map((raw) => ({
    name: raw.replace(/\.raw$/, ''),
    raw: readJson(raw),
    ocsf: readJson(raw.replace(/\.raw$/, '.ocsf')),
  }));

/**
 * Differences the comparison forgives, each a rendering choice rather than a mapping one:
 *  - times: the examples render `time_dt` in a local offset; Security Lake's is a timestamp, we
 *    render UTC. Compared as instants.
 *  - observables: the examples list them in varying orders. Compared as a set.
 *  - `api.request.uid` is `"''"` in the Authentication example, whose raw event has no
 *    requestID: a placeholder of the example's generator. We leave the attribute out.
 *  - `accountid` / `region` are Security Lake's partition columns, absent from the examples;
 *    checked on their own.
 */
function normalise(o: Obj): Obj {
  const copy = structuredClone(o) as Obj;
  const instant = (v: unknown): unknown => (typeof v === 'string' ? Date.parse(v) : v);
  copy.time_dt = instant(copy.time_dt);
  const session = at(copy, 'actor.session') as Obj | undefined;
  if (session) session.created_time_dt = instant(session.created_time_dt);
  const request = at(copy, 'api.request') as Obj | undefined;
  if (request?.uid === "''") delete request.uid;
  if (request && Object.keys(request).length === 0) delete (copy.api as Obj).request;
  if (Array.isArray(copy.observables)) {
    copy.observables = [...(copy.observables as Obj[])].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }
  delete copy.accountid;
  delete copy.region;
  return copy;
}

describe('cloudtrailToOcsf reproduces the OCSF project mapping examples', () => {
  it('finds the three reference pairs', () => {
    expect(pairs.map((p) => p.ocsf.class_uid).sort()).toEqual([3001, 3002, 6003]);
  });

  it.each(pairs)('$name: the whole record', ({ raw, ocsf }) => {
    const mapped = cloudtrailToOcsf(raw);
    expect(mapped).toBeDefined();
    expect(normalise(mapped as Obj)).toEqual(normalise(ocsf));
  });

  // the fields the ESCU detections and hunt's tables use, one by one, for readable failures
  const FIELDS = [
    'class_uid',
    'class_name',
    'category_uid',
    'category_name',
    'activity_id',
    'activity_name',
    'type_uid',
    'type_name',
    'actor.user.type',
    'actor.user.name',
    'actor.user.uid',
    'actor.user.uid_alt',
    'actor.user.account.uid',
    'actor.user.credential_uid',
    'api.operation',
    'api.service.name',
    'api.request.data',
    'api.response.data',
    'api.response.error',
    'api.response.message',
    'cloud.provider',
    'cloud.region',
    'src_endpoint.ip',
    'src_endpoint.domain',
    'http_request.user_agent',
    'metadata.uid',
    'metadata.version',
    'metadata.event_code',
    'metadata.product.name',
    'metadata.product.vendor_name',
    'metadata.product.version',
    'metadata.product.feature.name',
    'time',
    'status',
    'severity',
    'severity_id',
    'unmapped',
  ];
  const rows = pairs.flatMap((p) => FIELDS.map((field) => ({ name: p.name, field, raw: p.raw, ocsf: p.ocsf })));

  it.each(rows)('$name: $field', ({ raw, ocsf, field }) => {
    expect(at(cloudtrailToOcsf(raw), field)).toEqual(at(ocsf, field));
  });

  it.each(pairs)('$name: same instant for time_dt, and Security Lake partition columns', ({ raw, ocsf }) => {
    const mapped = cloudtrailToOcsf(raw) as Obj;
    expect(Date.parse(String(mapped.time_dt))).toBe(Date.parse(String(ocsf.time_dt)));
    expect(Date.parse(String(mapped.time_dt))).toBe(mapped.time);
    expect(mapped.accountid).toBe(raw.recipientAccountId);
    expect(mapped.region).toBe(raw.awsRegion);
  });

  it('keeps request/response bodies as JSON text', () => {
    const change = pairs.find((p) => p.ocsf.class_uid === 3001);
    const mapped = cloudtrailToOcsf(change?.raw ?? {}) as Obj;
    expect(JSON.parse(String(at(mapped, 'api.request.data')))).toEqual(change?.raw.requestParameters);
    expect(JSON.parse(String(at(mapped, 'api.response.data')))).toEqual(change?.raw.responseElements);
  });
});

describe('cloudtrailToOcsf on other input', () => {
  const base = pairs.find((p) => p.ocsf.class_uid === 6003)?.raw ?? {};

  it('returns undefined for what is not a CloudTrail API event', () => {
    expect(cloudtrailToOcsf({})).toBeUndefined();
    expect(cloudtrailToOcsf({ class_uid: 6003, time: 1 })).toBeUndefined();
    expect(cloudtrailToOcsf({ ...base, eventTime: 'yesterday' })).toBeUndefined();
    expect(cloudtrailToOcsf({ ...base, eventType: 'AwsCloudTrailInsight' })).toBeUndefined();
  });

  it('maps errors to a Failure with the error code and message', () => {
    const mapped = cloudtrailToOcsf({
      ...base,
      errorCode: 'AccessDenied',
      errorMessage: 'User is not authorized',
    }) as Obj;
    expect(mapped.status).toBe('Failure');
    expect(at(mapped, 'api.response.error')).toBe('AccessDenied');
    expect(at(mapped, 'api.response.message')).toBe('User is not authorized');
  });

  it('treats a failed ConsoleLogin (no errorCode, ConsoleLogin: Failure) as a Failure', () => {
    const auth = pairs.find((p) => p.ocsf.class_uid === 3002)?.raw ?? {};
    const mapped = cloudtrailToOcsf({
      ...auth,
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
    }) as Obj;
    expect(mapped.status).toBe('Failure');
    expect(mapped.class_uid).toBe(3002);
  });

  it('puts a service name in src_endpoint.domain and a VPC endpoint in src_endpoint.uid', () => {
    expect(at(cloudtrailToOcsf({ ...base, sourceIPAddress: 'lambda.amazonaws.com' }), 'src_endpoint')).toEqual({
      domain: 'lambda.amazonaws.com',
    });
    expect(
      at(cloudtrailToOcsf({ ...base, sourceIPAddress: '10.0.0.1', vpcEndpointId: 'vpce-1' }), 'src_endpoint'),
    ).toEqual({ uid: 'vpce-1', ip: '10.0.0.1' });
    expect(at(cloudtrailToOcsf({ ...base, sourceIPAddress: '2001:db8::1' }), 'src_endpoint')).toEqual({
      ip: '2001:db8::1',
    });
  });

  it.each([
    ['PutImage', 'ecr.amazonaws.com', 6003, 'Create'],
    ['DescribeImageScanFindings', 'ecr.amazonaws.com', 6003, 'Read'],
    ['BatchGetImage', 'ecr.amazonaws.com', 6003, 'Read'],
    ['DeleteRepository', 'ecr.amazonaws.com', 6003, 'Delete'],
    ['PutBucketPolicy', 's3.amazonaws.com', 6003, 'Create'],
    ['ModifyInstanceAttribute', 'ec2.amazonaws.com', 6003, 'Update'],
    ['AssumeRole', 'sts.amazonaws.com', 3002, 'Authentication Ticket'],
    ['ConsoleLogin', 'signin.amazonaws.com', 3002, 'Logon'],
    ['CreateUser', 'iam.amazonaws.com', 3001, 'Create'],
    ['AttachRolePolicy', 'iam.amazonaws.com', 3001, 'Attach Policy'],
    ['DeleteUser', 'iam.amazonaws.com', 3001, 'Delete'],
    ['ListUsers', 'iam.amazonaws.com', 6003, 'Read'],
  ])('%s (%s) is class %i, activity %s', (eventName, eventSource, classUid, activity) => {
    const mapped = cloudtrailToOcsf({ ...base, eventName, eventSource }) as Obj;
    expect([mapped.class_uid, mapped.activity_name]).toEqual([classUid, activity]);
    expect(mapped.type_uid).toBe((mapped.class_uid as number) * 100 + (mapped.activity_id as number));
  });
});
