/**
 * CloudTrail management event → OCSF 1.1.0 record, as Security Lake (source version 2) stores
 * it in its `cloud_trail_mgmt_2_0` table. Field by field after the OCSF project's CloudTrail
 * mapping examples (the pairs in shared/reference/ocsf-1.1.0) and the table's Glue schema:
 * request/response bodies become JSON text, raw fields no column takes go to `unmapped` as
 * dotted keys with string values, and Security Lake's partition columns `accountid` and
 * `region` are set. Times are rendered in UTC (the examples show a local offset; same instant).
 */
import { isoMillis } from './clock.js';
import type { Json, JsonObject } from './json.js';
import { ACCOUNT_CHANGE, AUTHENTICATION, classify } from './ocsf-classes.js';

type Raw = Record<string, unknown>;

const OCSF_VERSION = '1.1.0';

/**
 * Raw paths the mapping consumes; everything else lands in `unmapped`. requestParameters,
 * responseElements and resources are consumed whole. Exported for the test that holds the
 * reading side (CLOUDTRAIL_ON_OCSF) to it.
 */
export const MAPPED: ReadonlySet<string> = new Set([
  'eventVersion',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestID',
  'eventID',
  'eventType',
  'eventCategory',
  'apiVersion',
  'vpcEndpointId',
  'requestParameters',
  'responseElements',
  'resources',
  'userIdentity.type',
  'userIdentity.principalId',
  'userIdentity.arn',
  'userIdentity.accountId',
  'userIdentity.accessKeyId',
  'userIdentity.userName',
  'userIdentity.invokedBy',
  'userIdentity.identityProvider',
  'userIdentity.sessionContext.attributes.creationDate',
  'userIdentity.sessionContext.attributes.mfaAuthenticated',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'userIdentity.sessionContext.webIdFederationData.federatedProvider',
]);
/** consumed by the Authentication class only */
export const MAPPED_AUTHENTICATION: ReadonlySet<string> = new Set([
  'additionalEventData.LoginTo',
  'additionalEventData.MFAUsed',
]);

/**
 * The Security Lake record for a CloudTrail event, or undefined for input that is not a
 * CloudTrail API event (no eventName/eventTime/eventID, or an Insights event).
 */
export function cloudtrailToOcsf(event: Record<string, unknown>): Record<string, unknown> | undefined {
  const eventName = text(event.eventName);
  const eventTime = text(event.eventTime);
  const eventId = text(event.eventID);
  if (!eventName || !eventTime || !eventId || event.eventType === 'AwsCloudTrailInsight') return undefined;
  const time = Date.parse(eventTime);
  if (Number.isNaN(time)) return undefined;

  const eventSource = text(event.eventSource) ?? '';
  const { cls, act } = classify(eventSource, eventName, bool(event.readOnly));
  const identity = record(event.userIdentity) ?? {};
  const request = record(event.requestParameters);
  const response = record(event.responseElements);
  const additional = record(event.additionalEventData);
  const errorCode = text(event.errorCode);
  const region = text(event.awsRegion);
  const srcEndpoint = sourceEndpoint(text(event.sourceIPAddress), text(event.vpcEndpointId));
  const actor = actorOf(identity);
  const failed = errorCode !== undefined || (eventName === 'ConsoleLogin' && response?.ConsoleLogin === 'Failure');

  let user: JsonObject | undefined;
  let isMfa: boolean | undefined;
  let loginTo: string | undefined;
  if (cls === AUTHENTICATION) {
    user = {};
    if (request?.roleArn !== undefined) {
      // AssumeRole and friends: the account logged on to is the role session
      set(user, 'name', text(request.roleSessionName));
      set(user, 'uid', text(request.roleArn));
    } else {
      set(user, 'uid', text(identity.arn));
      set(user, 'uid_alt', text(identity.principalId));
    }
    const mfaUsed = text(additional?.MFAUsed);
    if (mfaUsed !== undefined) isMfa = mfaUsed === 'Yes';
    loginTo = text(additional?.LoginTo);
  } else if (cls === ACCOUNT_CHANGE) {
    user = targetUser(request, response);
  }

  const apiRequest: JsonObject = {};
  if (request) apiRequest.data = JSON.stringify(request);
  set(apiRequest, 'uid', text(event.requestID));
  const apiResponse: JsonObject = {};
  if (response) apiResponse.data = JSON.stringify(response);
  set(apiResponse, 'error', errorCode);
  set(apiResponse, 'message', text(event.errorMessage));
  const api: JsonObject = { operation: eventName };
  if (!isEmpty(apiRequest)) api.request = apiRequest;
  if (!isEmpty(apiResponse)) api.response = apiResponse;
  api.service = { name: eventSource };
  set(api, 'version', text(event.apiVersion));

  const cloud: JsonObject = { provider: 'AWS' };
  set(cloud, 'region', region);
  const product: JsonObject = {
    // the example without eventCategory shows the feature as all three trail categories
    feature: { name: text(event.eventCategory) ?? 'Management, Data, and Insights' },
    name: 'CloudTrail',
    vendor_name: 'AWS',
  };
  set(product, 'version', text(event.eventVersion));
  const metadata: JsonObject = {};
  set(metadata, 'event_code', text(event.eventType));
  metadata.product = product;
  metadata.profiles = ['cloud', 'datetime'];
  metadata.uid = eventId;
  metadata.version = OCSF_VERSION;

  const out: JsonObject = {
    activity_id: act.activity_id,
    activity_name: act.activity_name,
    actor,
    api,
    category_name: cls.category_name,
    category_uid: cls.category_uid,
    class_name: cls.class_name,
    class_uid: cls.class_uid,
    cloud,
  };
  if (loginTo !== undefined) out.dst_endpoint = { svc_name: loginTo };
  const userAgent = text(event.userAgent);
  if (userAgent !== undefined) out.http_request = { user_agent: userAgent };
  if (isMfa !== undefined) out.is_mfa = isMfa;
  out.metadata = metadata;
  out.observables = observables(srcEndpoint, text(record(actor.user)?.name), text(user?.name));
  const resources = resourcesOf(event.resources);
  if (resources) out.resources = resources;
  out.severity = 'Informational';
  out.severity_id = 1;
  if (srcEndpoint) out.src_endpoint = srcEndpoint;
  out.status = failed ? 'Failure' : 'Success';
  out.time = time;
  out.time_dt = isoMillis(time);
  out.type_name = `${cls.class_name}: ${act.activity_name}`;
  out.type_uid = cls.class_uid * 100 + act.activity_id;
  out.unmapped = unmapped(event, cls === AUTHENTICATION);
  if (user && !isEmpty(user)) out.user = user;
  // Security Lake's partition columns
  const accountId = text(event.recipientAccountId) ?? text(identity.accountId);
  if (accountId !== undefined) out.accountid = accountId;
  if (region !== undefined) out.region = region;
  return out;
}

function actorOf(identity: Raw): JsonObject {
  const session = record(identity.sessionContext);
  const attributes = record(session?.attributes);
  const issuer = record(session?.sessionIssuer);
  const webId = record(session?.webIdFederationData);
  const accountId = text(identity.accountId);
  const created = text(attributes?.creationDate);
  const mfa = text(attributes?.mfaAuthenticated);
  const actor: JsonObject = {};
  const user: JsonObject = {};
  set(user, 'type', text(identity.type));
  set(user, 'name', text(identity.userName));
  set(user, 'uid', text(identity.arn));
  set(user, 'uid_alt', text(identity.principalId));
  if (accountId !== undefined) user.account = { uid: accountId };
  // a failed ConsoleLogin carries an empty accessKeyId
  set(user, 'credential_uid', text(identity.accessKeyId) || undefined);
  if (!isEmpty(user)) actor.user = user;
  const sessionOut: JsonObject = {};
  const createdMs = created !== undefined ? Date.parse(created) : Number.NaN;
  if (!Number.isNaN(createdMs)) sessionOut.created_time_dt = isoMillis(createdMs);
  if (mfa !== undefined) sessionOut.is_mfa = mfa === 'true';
  set(sessionOut, 'issuer', text(issuer?.arn));
  if (!isEmpty(sessionOut)) actor.session = sessionOut;
  set(actor, 'invoked_by', text(identity.invokedBy));
  const idp = text(webId?.federatedProvider) ?? text(identity.identityProvider);
  if (idp !== undefined) actor.idp = { name: idp };
  return actor;
}

/** The account an IAM change is about: the created/changed user or role. */
function targetUser(request: Raw | undefined, response: Raw | undefined): JsonObject | undefined {
  const out: JsonObject = {};
  const u = record(response?.user);
  const r = record(response?.role);
  if (u) {
    set(out, 'name', text(u.userName));
    set(out, 'uid', text(u.arn));
    set(out, 'uid_alt', text(u.userId));
  } else if (r) {
    set(out, 'name', text(r.roleName));
    set(out, 'uid', text(r.arn));
    set(out, 'uid_alt', text(r.roleId));
  } else {
    set(out, 'name', text(request?.userName) ?? text(request?.roleName));
  }
  return isEmpty(out) ? undefined : out;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;

/** `sourceIPAddress` is an address, or a service name (`lambda.amazonaws.com`, `AWS Internal`). */
function sourceEndpoint(source: string | undefined, vpcEndpointId: string | undefined): JsonObject | undefined {
  const out: JsonObject = {};
  set(out, 'uid', vpcEndpointId);
  if (source !== undefined) out[IPV4.test(source) || IPV6.test(source) ? 'ip' : 'domain'] = source;
  return isEmpty(out) ? undefined : out;
}

function observables(
  src: JsonObject | undefined,
  actorName: string | undefined,
  userName: string | undefined,
): JsonObject[] {
  const out: JsonObject[] = [];
  const ip = text(src?.ip);
  const domain = text(src?.domain);
  if (ip !== undefined) out.push({ name: 'src_endpoint.ip', type: 'IP Address', type_id: 2, value: ip });
  if (domain !== undefined) out.push({ name: 'src_endpoint.domain', type: 'Hostname', type_id: 1, value: domain });
  if (actorName !== undefined) out.push({ name: 'actor.user.name', type: 'User Name', type_id: 4, value: actorName });
  if (userName !== undefined) out.push({ name: 'user.name', type: 'User Name', type_id: 4, value: userName });
  return out;
}

function resourcesOf(value: unknown): JsonObject[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: JsonObject[] = [];
  for (const item of value) {
    const r = record(item);
    if (!r) continue;
    const res: JsonObject = {};
    set(res, 'uid', text(r.ARN));
    const accountId = text(r.accountId);
    if (accountId !== undefined) res.owner = { account: { uid: accountId } };
    set(res, 'type', text(r.type));
    out.push(res);
  }
  return out;
}

/** Raw fields no column takes, flattened to dotted keys with string values, sorted. */
function unmapped(event: Raw, authentication: boolean): Record<string, string> {
  const flat: [string, string][] = [];
  const walk = (value: unknown, path: string): void => {
    if (
      value === null ||
      value === undefined ||
      MAPPED.has(path) ||
      (authentication && MAPPED_AUTHENTICATION.has(path))
    )
      return;
    if (Array.isArray(value)) {
      flat.push([path, JSON.stringify(value)]);
    } else if (typeof value === 'object') {
      for (const k in value) walk((value as Raw)[k], `${path}.${k}`);
    } else {
      flat.push([path, String(value)]);
    }
  };
  for (const k in event) walk(event[k], k);
  flat.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Record<string, string> = {};
  for (const [k, v] of flat) out[k] = v;
  return out;
}

/** Sets `key` when `value` is defined: OCSF leaves absent attributes out rather than null. */
function set(target: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) target[key] = value;
}

function isEmpty(obj: JsonObject): boolean {
  for (const _ in obj) return false;
  return true;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function record(value: unknown): Raw | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;
}
