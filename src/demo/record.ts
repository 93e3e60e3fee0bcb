import { isoSeconds } from './clock.js';
import { fromConsole, userIdentity, type Principal } from './identity.js';
import type { JsonObject } from './json.js';
import type { Rng } from './rng.js';

/** Where, when and by whom a call is made. */
export interface CallContext {
  timeMs: number;
  region: string;
  /** the account whose trail records the event */
  accountId: string;
  principal: Principal;
  sourceIp: string;
  userAgent: string;
  rng: Rng;
  /** calls through a VPC endpoint (EKS nodes pulling images) */
  vpcEndpointId?: string;
}

/** What a call is: the service-specific part of a CloudTrail record (see calls.ts). */
export interface ApiCall {
  eventSource: string;
  eventName: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  additionalEventData?: JsonObject;
  resources?: JsonObject[];
  readOnly: boolean;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  /** errorCode (absent for a failed ConsoleLogin, which has only errorMessage) and errorMessage */
  error?: { code?: string; message: string };
  /** false: the event has no requestID (ConsoleLogin) */
  hasRequestId?: boolean;
  eventVersion?: string;
  /** global services log in us-east-1 whatever region the caller is in */
  region?: string;
  /** host name the TLS client asked for; null: no tlsDetails (AWS-internal callers) */
  tlsHost?: string | null;
}

/**
 * One CloudTrail record, keys in the order CloudTrail writes them. The random parts (eventID,
 * requestID) are drawn from the context's PRNG in a fixed order, so records are reproducible.
 */
export function cloudTrailRecord(ctx: CallContext, call: ApiCall): JsonObject {
  const region = call.region ?? ctx.region;
  const requestId = call.hasRequestId === false ? undefined : ctx.rng.uuid();
  const eventId = ctx.rng.uuid();
  const rec: JsonObject = {
    eventVersion: call.eventVersion ?? '1.09',
    userIdentity: userIdentity(ctx.principal),
    eventTime: isoSeconds(ctx.timeMs),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: region,
    sourceIPAddress: ctx.sourceIp,
    userAgent: ctx.userAgent,
  };
  if (call.error) {
    if (call.error.code !== undefined) rec.errorCode = call.error.code;
    rec.errorMessage = call.error.message;
  }
  rec.requestParameters = call.requestParameters;
  rec.responseElements = call.responseElements;
  if (call.additionalEventData) rec.additionalEventData = call.additionalEventData;
  if (requestId !== undefined) rec.requestID = requestId;
  rec.eventID = eventId;
  rec.readOnly = call.readOnly;
  if (call.resources) rec.resources = call.resources;
  rec.eventType = call.eventType ?? 'AwsApiCall';
  rec.managementEvent = true;
  rec.recipientAccountId = ctx.accountId;
  if (ctx.vpcEndpointId) rec.vpcEndpointId = ctx.vpcEndpointId;
  rec.eventCategory = 'Management';
  const tlsHost = call.tlsHost === undefined ? defaultHost(call.eventSource, region) : call.tlsHost;
  if (tlsHost !== null) {
    rec.tlsDetails = {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: tlsHost,
    };
  }
  if (fromConsole(ctx.principal)) rec.sessionCredentialFromConsole = 'true';
  return rec;
}

/** `ecr.amazonaws.com` in us-west-2 is reached as `api.ecr.us-west-2.amazonaws.com`, and so on. */
function defaultHost(eventSource: string, region: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  switch (service) {
    case 'ecr':
      return `api.ecr.${region}.amazonaws.com`;
    case 'iam':
      return 'iam.amazonaws.com';
    case 's3':
      return 's3.amazonaws.com';
    default:
      return `${service}.${region}.amazonaws.com`;
  }
}
