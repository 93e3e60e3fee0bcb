/**
 * CloudTrail records for the per-detection tests of test/corpus/cloudtrail (second set), shaped
 * as AWS logs them: console sign-in events as in the CloudTrail User Guide ("AWS Management
 * Console sign-in events"), service events, and API calls with an error as AWS records them
 * (errorCode / errorMessage, requestParameters as sent, responseElements null).
 * Built on ct() of events.ts, so every record gets a fresh eventID.
 */
import type { Detection } from '../../src/detections/model.js';
import { riskEvents } from '../../src/risk/score.js';
import { ACCOUNT, ct, type Identity } from './events.js';

export const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';
export const CLI = (command: string): string =>
  `aws-cli/2.13.25 Python/3.11.5 Linux/6.2.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/${command}`;
/** S3 wraps the user agent it logs in brackets */
export const S3_CLI = (command: string): string => `[${CLI(command)}]`;

/**
 * The identity of a console sign-in: for a failure CloudTrail logs no ARN and an empty access
 * key; a user name that is not an IAM user of the account is logged as HIDDEN_DUE_TO_SECURITY_REASONS.
 */
export const signinUser = (name: string, account = ACCOUNT): Identity =>
  name === 'HIDDEN_DUE_TO_SECURITY_REASONS'
    ? { type: 'IAMUser', accountId: account, accessKeyId: '', userName: name }
    : {
        type: 'IAMUser',
        principalId: `AIDA${name.toUpperCase().padEnd(12, 'X')}`,
        accountId: account,
        accessKeyId: '',
        userName: name,
      };

export interface LoginOptions {
  time: string;
  who: Identity;
  ok: boolean;
  mfa: 'Yes' | 'No';
  ip?: string;
  agent?: string;
}

/** A ConsoleLogin record (eventType AwsConsoleSignIn). */
export function consoleLogin(o: LoginOptions): Record<string, unknown> {
  const mfaId =
    o.mfa === 'Yes' && o.ok ? { MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/${String(o.who.userName ?? 'root')}` } : {};
  return ct({
    time: o.time,
    who: o.who,
    name: 'ConsoleLogin',
    source: 'signin.amazonaws.com',
    ip: o.ip ?? '203.0.113.10',
    agent: o.agent ?? BROWSER,
    request: null,
    response: { ConsoleLogin: o.ok ? 'Success' : 'Failure' },
    extra: {
      ...(o.ok ? {} : { errorMessage: 'Failed authentication' }),
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
        MobileVersion: 'No',
        MFAUsed: o.mfa,
        ...mfaId,
      },
      eventType: 'AwsConsoleSignIn',
      readOnly: false,
    },
  });
}

/** `count` failed sign-ins, one every `everySeconds` from `start`. */
export function failedLogins(
  count: number,
  start: string,
  everySeconds: number,
  o: Omit<LoginOptions, 'time' | 'ok'>,
): Record<string, unknown>[] {
  const t0 = Date.parse(start);
  return Array.from({ length: count }, (_, i) =>
    consoleLogin({ ...o, ok: false, time: new Date(t0 + i * everySeconds * 1000).toISOString().replace('.000Z', 'Z') }),
  );
}

/** An error as CloudTrail records it: errorCode and errorMessage, no responseElements. */
export const failure = (errorCode: string, errorMessage: string): Record<string, unknown> => ({
  errorCode,
  errorMessage,
});

/** IAM's AccessDenied message for an action on a resource. */
export const iamDenied = (callerArn: string, action: string, resource: string): Record<string, unknown> =>
  failure(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );

/** A time `seconds` after an ISO instant, in CloudTrail's form (no milliseconds). */
export const plus = (iso: string, seconds: number): string =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Epoch seconds of an ISO instant (what `bucket _time` leaves in _time). */
export const epoch = (iso: string): number => Date.parse(iso) / 1000;

/**
 * The risk events ES would write for result rows, reduced to what a detection decides:
 * [risk object, type, score, message, threat objects as "type:value"].
 */
export function risks(d: Detection, rows: Record<string, unknown>[]): [string, string, number, string, string[]][] {
  return riskEvents(d, rows, '2026-12-01T00:00:00Z').map((r) => [
    r.risk_object,
    r.risk_object_type,
    r.risk_score,
    r.risk_message,
    r.threat_objects.map((t) => `${t.type}:${t.value}`),
  ]);
}

/**
 * An S3 Batch Operations job event (JobCreated, JobStatusChanged): a service event with no
 * caller, only the account and the service that acted (S3 User Guide, "Tracking an S3 Batch
 * Operations job ... through AWS CloudTrail").
 */
export function batchJobEvent(
  time: string,
  name: 'JobCreated' | 'JobStatusChanged',
  jobId: string,
  status: string,
  region = 'us-west-2',
): Record<string, unknown> {
  return ct({
    time,
    who: { accountId: ACCOUNT, invokedBy: 's3.amazonaws.com' },
    name,
    source: 's3.amazonaws.com',
    region,
    ip: 's3.amazonaws.com',
    agent: 's3.amazonaws.com',
    request: null,
    response: null,
    extra: {
      eventVersion: '1.05',
      eventType: 'AwsServiceEvent',
      managementEvent: undefined,
      serviceEventDetails: {
        jobId,
        jobArn: `arn:aws:s3:${region}:${ACCOUNT}:job/${jobId}`,
        status,
        jobEventId: 'b268784cf0a66749f1a05bce259804f5',
        failureCodes: [],
        statusChangeReason: [],
      },
    },
  });
}

export interface IamCallOptions {
  time: string;
  who: Identity;
  ip?: string;
  agent?: string;
  /** an error as CloudTrail records it (failure(...) or iamDenied(...)); absent: success */
  error?: Record<string, unknown>;
}

/** An IAM API call (IAM is global: logged in us-east-1); a failed call has no responseElements. */
export function iamCall(
  name: string,
  request: Record<string, unknown> | null,
  response: Record<string, unknown> | null,
  o: IamCallOptions,
): Record<string, unknown> {
  return ct({
    time: o.time,
    who: o.who,
    name,
    source: 'iam.amazonaws.com',
    region: 'us-east-1',
    ip: o.ip ?? '203.0.113.66',
    agent: o.agent ?? CLI(`iam.${cliCommand(name)}`),
    request,
    response: o.error ? null : response,
    extra: o.error,
  });
}

/** The CLI's name of an API: CreateVirtualMFADevice → create-virtual-mfa-device. */
export const cliCommand = (api: string): string =>
  api
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** IAM DeleteGroup: the request names the group; the response is empty. */
export const deleteGroup = (group: string, o: IamCallOptions): Record<string, unknown> =>
  iamCall('DeleteGroup', { groupName: group }, null, o);
