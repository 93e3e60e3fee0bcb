/**
 * Security Lake (OCSF 1.1) records for the per-detection tests of the ESCU `asl` corpus
 * (test/corpus/asl). Each record starts as the CloudTrail record AWS logs for the call (`ct()`,
 * with requestParameters / responseElements as the service's API reference and CloudTrail's
 * examples show them) and becomes its Security Lake form through the project's CloudTrail →
 * OCSF mapping (src/demo/ocsf.ts, checked field by field against the OCSF project's raw/OCSF
 * pairs in test/demo/ocsf-reference.test.ts). So `api.request.data` is the request's JSON
 * text, a failure carries `status: Failure` and `api.response.error`, and a call made by an AWS
 * service (sourceIPAddress `cloudformation.amazonaws.com`, `AWS Internal`) has
 * `src_endpoint.domain` instead of `src_endpoint.ip`.
 */
import { cloudtrailToOcsf } from '../../src/demo/index.js';
import type { Detection } from '../../src/detections/model.js';
import { riskEvents } from '../../src/risk/score.js';
import { ACCOUNT, assumedRole, ct, type CtOptions } from './events.js';

export type Obj = Record<string, unknown>;

/** What one API call puts in its CloudTrail record. */
export interface Call {
  source: string;
  name: string;
  request: Obj | null;
  response: Obj | null;
  /** readOnly and other top-level fields that differ from ct()'s defaults */
  extra?: Obj;
}

export interface AslOptions extends Omit<CtOptions, 'name' | 'source' | 'request' | 'response'> {
  call: Call;
  /** a failed call: CloudTrail's errorCode / errorMessage (responseElements is then null) */
  error?: { code: string; message: string };
}

export const CLI_AGENT = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/';
export const CONSOLE_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** The raw CloudTrail record of a call. */
export function ctCall(o: AslOptions): Obj {
  const { call, error, extra, ...rest } = o;
  return ct({
    ...rest,
    agent: o.agent ?? CLI_AGENT,
    source: call.source,
    name: call.name,
    request: call.request,
    response: error ? null : call.response,
    extra: {
      ...call.extra,
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      ...extra,
    },
  });
}

/** The Security Lake record of a call. */
export function asl(o: AslOptions): Obj {
  const out = cloudtrailToOcsf(ctCall(o));
  if (!out) throw new Error(`not a CloudTrail API event: ${o.call.name}`);
  return out;
}

const arnOf = (kind: string, name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:${kind}/${name}`;
const readOnly = { readOnly: true };

/** API calls, as their CloudTrail records show them. */
export const calls = {
  // IAM
  createAccessKey: (userName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'CreateAccessKey',
    request: { userName },
    response: {
      accessKey: {
        userName,
        accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
        status: 'Active',
        createDate: 'Nov 18, 2026 10:00:00 AM',
      },
    },
  }),
  deletePolicy: (policyName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DeletePolicy',
    request: { policyArn: arnOf('policy', policyName) },
    response: null,
  }),
  deleteUserPolicy: (userName: string, policyName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DeleteUserPolicy',
    request: { userName, policyName },
    response: null,
  }),
  detachUserPolicy: (userName: string, policyName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DetachUserPolicy',
    request: { userName, policyArn: arnOf('policy', policyName) },
    response: null,
  }),
  /** a user changing their own password: neither password is logged */
  changePassword: (): Call => ({ source: 'iam.amazonaws.com', name: 'ChangePassword', request: null, response: null }),
  deleteGroup: (groupName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DeleteGroup',
    request: { groupName },
    response: null,
  }),
  createVirtualMFADevice: (name: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'CreateVirtualMFADevice',
    request: { virtualMFADeviceName: name, path: '/' },
    response: { virtualMFADevice: { serialNumber: arnOf('mfa', name) } },
  }),
  enableMFADevice: (userName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'EnableMFADevice',
    request: { userName, serialNumber: arnOf('mfa', userName) },
    response: null,
  }),
  deactivateMFADevice: (userName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DeactivateMFADevice',
    request: { userName, serialNumber: arnOf('mfa', userName) },
    response: null,
  }),
  deleteVirtualMFADevice: (name: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'DeleteVirtualMFADevice',
    request: { serialNumber: arnOf('mfa', name) },
    response: null,
  }),
  /** the new password is never logged; passwordResetRequired is */
  updateLoginProfile: (userName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'UpdateLoginProfile',
    request: { userName, passwordResetRequired: true },
    response: null,
  }),
  createLoginProfile: (userName: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'CreateLoginProfile',
    request: { userName, passwordResetRequired: true },
    response: { loginProfile: { userName, createDate: 'Nov 18, 2026 10:00:00 AM', passwordResetRequired: true } },
  }),
  updateSAMLProvider: (provider: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'UpdateSAMLProvider',
    request: {
      sAMLMetadataDocument: '<?xml version="1.0"?><md:EntityDescriptor ...>',
      sAMLProviderArn: arnOf('saml-provider', provider),
    },
    response: { sAMLProviderArn: arnOf('saml-provider', provider) },
  }),
  createSAMLProvider: (provider: string): Call => ({
    source: 'iam.amazonaws.com',
    name: 'CreateSAMLProvider',
    request: { sAMLMetadataDocument: '<?xml version="1.0"?><md:EntityDescriptor ...>', name: provider },
    response: { sAMLProviderArn: arnOf('saml-provider', provider) },
  }),
  listUsers: (): Call => ({
    source: 'iam.amazonaws.com',
    name: 'ListUsers',
    request: null,
    response: null,
    extra: readOnly,
  }),
  listRoles: (): Call => ({
    source: 'iam.amazonaws.com',
    name: 'ListRoles',
    request: null,
    response: null,
    extra: readOnly,
  }),
  getAccountAuthorizationDetails: (): Call => ({
    source: 'iam.amazonaws.com',
    name: 'GetAccountAuthorizationDetails',
    request: null,
    response: null,
    extra: readOnly,
  }),

  // CloudTrail
  deleteTrail: (trail: string): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'DeleteTrail',
    request: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}` },
    response: null,
  }),
  stopLogging: (trail: string): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'StopLogging',
    request: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}` },
    response: null,
  }),
  startLogging: (trail: string): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'StartLogging',
    request: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}` },
    response: null,
  }),
  updateTrail: (trail: string, bucket: string): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'UpdateTrail',
    request: { name: trail, s3BucketName: bucket },
    response: {
      name: trail,
      s3BucketName: bucket,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      trailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}`,
      logFileValidationEnabled: false,
      isOrganizationTrail: false,
    },
  }),
  createTrail: (trail: string, bucket: string): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'CreateTrail',
    request: { name: trail, s3BucketName: bucket, isMultiRegionTrail: true },
    response: { name: trail, s3BucketName: bucket, trailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${trail}` },
  }),
  describeTrails: (): Call => ({
    source: 'cloudtrail.amazonaws.com',
    name: 'DescribeTrails',
    request: { includeShadowTrails: false },
    response: null,
    extra: readOnly,
  }),

  // CloudWatch Logs, CloudWatch, GuardDuty, WAF, EventBridge
  deleteLogGroup: (logGroupName: string): Call => ({
    source: 'logs.amazonaws.com',
    name: 'DeleteLogGroup',
    request: { logGroupName },
    response: null,
  }),
  deleteLogStream: (logGroupName: string, logStreamName: string): Call => ({
    source: 'logs.amazonaws.com',
    name: 'DeleteLogStream',
    request: { logGroupName, logStreamName },
    response: null,
  }),
  createLogGroup: (logGroupName: string): Call => ({
    source: 'logs.amazonaws.com',
    name: 'CreateLogGroup',
    request: { logGroupName },
    response: null,
  }),
  deleteDetector: (detectorId: string): Call => ({
    source: 'guardduty.amazonaws.com',
    name: 'DeleteDetector',
    request: { detectorId },
    response: null,
  }),
  updateDetector: (detectorId: string): Call => ({
    source: 'guardduty.amazonaws.com',
    name: 'UpdateDetector',
    request: { detectorId, enable: false },
    response: null,
  }),
  deleteAlarms: (...alarmNames: string[]): Call => ({
    source: 'monitoring.amazonaws.com',
    name: 'DeleteAlarms',
    request: { alarmNames },
    response: null,
  }),
  deleteWebACL: (name: string): Call => ({
    source: 'wafv2.amazonaws.com',
    name: 'DeleteWebACL',
    request: {
      name,
      scope: 'REGIONAL',
      id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      lockToken: 'f1e2d3c4-5678-90ab-cdef-EXAMPLE22222',
    },
    response: null,
  }),
  /** EventBridge's DeleteRule: the same operation name as WAF's, from another service */
  deleteEventRule: (name: string): Call => ({
    source: 'events.amazonaws.com',
    name: 'DeleteRule',
    request: { name, force: false },
    response: null,
  }),

  // EC2
  getPasswordData: (instanceId: string): Call => ({
    source: 'ec2.amazonaws.com',
    name: 'GetPasswordData',
    request: { instanceId },
    response: null,
    extra: readOnly,
  }),
  /** share a snapshot: `all` makes it public, an account id shares it with that account */
  modifySnapshotAttribute: (snapshotId: string, op: 'add' | 'remove', items: Obj[]): Call => ({
    source: 'ec2.amazonaws.com',
    name: 'ModifySnapshotAttribute',
    request: { snapshotId, createVolumePermission: { [op]: { items } }, attributeType: 'CREATE_VOLUME_PERMISSION' },
    response: { _return: true },
  }),
  createNetworkAclEntry: (e: AclEntry): Call => aclEntry('CreateNetworkAclEntry', e),
  replaceNetworkAclEntry: (e: AclEntry): Call => aclEntry('ReplaceNetworkAclEntry', e),
  deleteNetworkAclEntry: (networkAclId: string, ruleNumber: number, egress: boolean): Call => ({
    source: 'ec2.amazonaws.com',
    name: 'DeleteNetworkAclEntry',
    request: { networkAclId, ruleNumber, egress },
    response: { _return: true },
  }),
  describeInstances: (): Call => ({
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    request: { instancesSet: {}, filterSet: {} },
    response: null,
    extra: readOnly,
  }),

  // KMS
  listKeys: (): Call => ({
    source: 'kms.amazonaws.com',
    name: 'ListKeys',
    request: null,
    response: null,
    extra: readOnly,
  }),

  // RDS
  modifyDBInstance: (id: string, params: Obj): Call => ({
    source: 'rds.amazonaws.com',
    name: 'ModifyDBInstance',
    request: { dBInstanceIdentifier: id, ...params },
    response: {
      dBInstanceIdentifier: id,
      dBInstanceClass: 'db.t3.micro',
      engine: 'mysql',
      dBInstanceStatus: 'available',
    },
  }),
  modifyDBCluster: (id: string, params: Obj): Call => ({
    source: 'rds.amazonaws.com',
    name: 'ModifyDBCluster',
    request: { dBClusterIdentifier: id, ...params },
    response: { dBClusterIdentifier: id, engine: 'aurora-postgresql', status: 'available' },
  }),

  // S3 (bucket-level calls are management events; S3 logs the XML body as an object)
  putBucketLifecycle: (bucketName: string, rule: Obj | Obj[]): Call => ({
    source: 's3.amazonaws.com',
    name: 'PutBucketLifecycle',
    request: {
      bucketName,
      Host: `${bucketName}.s3.us-east-1.amazonaws.com`,
      lifecycle: '',
      LifecycleConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', Rule: rule },
    },
    response: null,
    extra: { additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' } },
  }),
  putBucketVersioning: (bucketName: string, status: 'Enabled' | 'Suspended'): Call => ({
    source: 's3.amazonaws.com',
    name: 'PutBucketVersioning',
    request: {
      bucketName,
      Host: `${bucketName}.s3.us-east-1.amazonaws.com`,
      versioning: '',
      VersioningConfiguration: { Status: status, xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
    },
    response: null,
    extra: { additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' } },
  }),
  listBuckets: (): Call => ({
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    request: { Host: 's3.us-east-1.amazonaws.com' },
    response: null,
    extra: readOnly,
  }),

  // AWS Health, called by the console on every page
  describeEventAggregates: (): Call => ({
    source: 'health.amazonaws.com',
    name: 'DescribeEventAggregates',
    request: { aggregateField: 'eventTypeCategory', filter: { eventStatusCodes: ['open', 'upcoming'] } },
    response: null,
    extra: readOnly,
  }),
} as const;

export interface AclEntry {
  networkAclId: string;
  ruleNumber: number;
  egress: boolean;
  ruleAction: 'allow' | 'deny';
  /** "-1" is all protocols, "6" TCP, "17" UDP (CloudTrail logs the protocol number as text) */
  aclProtocol: string;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from: number; to: number };
}

function aclEntry(name: string, e: AclEntry): Call {
  const { portRange, cidrBlock, ipv6CidrBlock, ...rest } = e;
  return {
    source: 'ec2.amazonaws.com',
    name,
    request: {
      ...rest,
      icmpTypeCode: {},
      portRange: portRange ?? {},
      ...(cidrBlock !== undefined ? { cidrBlock } : {}),
      ...(ipv6CidrBlock !== undefined ? { ipv6CidrBlock } : {}),
    },
    response: { _return: true },
  };
}

/** EC2's errors carry a `Client.` prefix in CloudTrail */
export const ec2Error = (code: string, message: string): { code: string; message: string } => ({
  code: `Client.${code}`,
  message,
});

/** An access denial as IAM, S3, CloudTrail and most services log it (errorCode AccessDenied). */
export const denied = (action: string, who: string): { code: string; message: string } => ({
  code: 'AccessDenied',
  message: `User: ${who} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
});

/**
 * The fields every ASL detection of this corpus outputs after its `stats ... by actor.user.uid
 * api.operation api.service.name http_request.user_agent src_endpoint.ip actor.user.account.uid
 * cloud.provider cloud.region | rename ...`: the expected row, with the values written out by
 * the test.
 */
export interface StandardRow {
  user: string;
  action: string;
  dest: string;
  user_agent: string;
  src: string;
  vendor_account: string;
  vendor_product: string;
  vendor_region: string;
  count: number;
  firstTime: string;
  lastTime: string;
}

/** A StandardRow; agent, account, region and product default to what asl() records by default. */
export function standardRow(r: {
  user: string;
  action: string;
  dest: string;
  src: string;
  count: number;
  first: string;
  last?: string;
  agent?: string;
  account?: string;
  region?: string;
}): StandardRow {
  return {
    user: r.user,
    action: r.action,
    dest: r.dest,
    user_agent: r.agent ?? CLI_AGENT,
    src: r.src,
    vendor_account: r.account ?? ACCOUNT,
    vendor_product: 'AWS',
    vendor_region: r.region ?? 'us-east-1',
    count: r.count,
    firstTime: r.first,
    lastTime: r.last ?? r.first,
  };
}

/**
 * A call an AWS service makes for a principal (CloudFormation deleting a stack's resources with
 * its service role): CloudTrail logs the service's name as sourceIPAddress and userAgent and
 * sets userIdentity.invokedBy, so Security Lake has src_endpoint.domain and no src_endpoint.ip.
 */
export function viaService(service: string, role: string): Pick<AslOptions, 'who' | 'ip' | 'agent'> {
  const who = assumedRole(role, 'AWSCloudFormation');
  return { who: { ...who, invokedBy: service }, ip: service, agent: service };
}

/**
 * What Splunk ES would write for the rows: per risk event its object, type, score, message and
 * threat objects. A `$field$` left in a message means the row lacks a field the detection names.
 */
export function riskOf(
  d: Detection,
  rows: Obj[],
): { object: string; type: string; score: number; message: string; threats: string[] }[] {
  return riskEvents(d, rows, '2026-11-30T00:00:00Z').map((e) => ({
    object: e.risk_object,
    type: e.risk_object_type,
    score: e.risk_score,
    message: e.risk_message,
    threats: e.threat_objects.map((t) => `${t.type}:${t.value}`),
  }));
}
