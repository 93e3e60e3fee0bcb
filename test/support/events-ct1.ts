/**
 * CloudTrail record builders for the per-detection corpus tests of test/corpus/cloudtrail (the
 * Bedrock, console login, credential access, defense evasion, KMS, S3 and ECR detections). They
 * build on `ct()` of events.ts and keep the shapes AWS documents for each call: who made it,
 * eventSource, requestParameters / responseElements of that API, errorCode / errorMessage when
 * it failed. Every record gets a fresh eventID (ct() does that).
 */
import { ACCOUNT, ct, iamUser, scanFindingsResponse, scanRequest, type Finding, type Identity } from './events.js';

/** user agents as CloudTrail records them */
export const AGENT = {
  cli: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.164.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off',
  boto3:
    'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84',
  console: 'console.amazonaws.com',
  browser:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  s3console:
    '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.217 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372]',
} as const;

export interface CallOptions {
  time: string;
  name: string;
  who?: Identity;
  ip?: string;
  region?: string;
  agent?: string;
  request?: Record<string, unknown> | null;
  response?: Record<string, unknown> | null;
  /** a failed call: CloudTrail's errorCode and errorMessage */
  error?: { code: string; message: string };
  readOnly?: boolean;
  extra?: Record<string, unknown>;
}

/** A management API call to `source`, successful unless `error` is given. */
export function call(source: string, o: CallOptions): Record<string, unknown> {
  return ct({
    time: o.time,
    name: o.name,
    source,
    ...(o.who ? { who: o.who } : {}),
    ...(o.ip ? { ip: o.ip } : {}),
    ...(o.region ? { region: o.region } : {}),
    agent: o.agent ?? AGENT.cli,
    request: o.request === undefined ? null : o.request,
    // a failed call has no responseElements
    response: o.error ? null : o.response === undefined ? null : o.response,
    extra: {
      ...(o.error ? { errorCode: o.error.code, errorMessage: o.error.message } : {}),
      ...(o.readOnly !== undefined ? { readOnly: o.readOnly } : {}),
      ...o.extra,
    },
  });
}

/** the errorMessage IAM gives a call no policy allows */
export const notAuthorized = (who: Identity, action: string, resource?: string): string =>
  `User: ${String(who.arn)} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${action} action`;

export const accessDenied = (who: Identity, action: string, resource?: string, code = 'AccessDenied') => ({
  code,
  message: notAuthorized(who, action, resource),
});

// ---- Bedrock ---------------------------------------------------------------------------

export const bedrock = (o: CallOptions): Record<string, unknown> => call('bedrock.amazonaws.com', o);

export const guardrailArn = (id: string, region = 'us-east-1'): string =>
  `arn:aws:bedrock:${region}:${ACCOUNT}:guardrail/${id}`;

export const foundationModelArn = (modelId: string, region = 'us-east-1'): string =>
  `arn:aws:bedrock:${region}::foundation-model/${modelId}`;

/**
 * InvokeModel as CloudTrail logs it: the body is not logged, only the model and the content
 * types; `resources` names the model.
 */
export function invokeModel(o: Omit<CallOptions, 'name' | 'request'> & { modelId: string }): Record<string, unknown> {
  const { modelId, ...rest } = o;
  return bedrock({
    ...rest,
    name: 'InvokeModel',
    request: { modelId, contentType: 'application/json', accept: 'application/json' },
    readOnly: true,
    extra: {
      resources: [{ accountId: ACCOUNT, type: 'AWS::Bedrock::Model', ARN: foundationModelArn(modelId, rest.region) }],
      ...rest.extra,
    },
  });
}

// ---- Console sign-in -----------------------------------------------------------------------

/**
 * The identity CloudTrail records for a console sign-in of an IAM user: no ARN on a failure
 * (AWS logs the user name, account and an empty access key id).
 */
export const signInIdentity = (name: string, failed: boolean): Identity => {
  const full = iamUser(name);
  return failed
    ? { type: 'IAMUser', principalId: full.principalId, accountId: ACCOUNT, accessKeyId: '', userName: name }
    : { ...full, accessKeyId: '' };
};

export interface ConsoleLoginOptions {
  time: string;
  user: string;
  ip?: string;
  agent?: string;
  mfaUsed: 'Yes' | 'No';
  /** Failure: errorMessage "Failed authentication" unless `errorMessage` says otherwise */
  result: 'Success' | 'Failure';
  errorMessage?: string;
  who?: Identity;
}

/** ConsoleLogin (signin.amazonaws.com, eventType AwsConsoleSignIn), as in the AWS docs. */
export function consoleLogin(o: ConsoleLoginOptions): Record<string, unknown> {
  const failed = o.result === 'Failure';
  return ct({
    time: o.time,
    name: 'ConsoleLogin',
    source: 'signin.amazonaws.com',
    who: o.who ?? signInIdentity(o.user, failed),
    ip: o.ip ?? '198.51.100.7',
    agent: o.agent ?? AGENT.browser,
    request: null,
    response: { ConsoleLogin: o.result },
    extra: {
      ...(failed ? { errorMessage: o.errorMessage ?? 'Failed authentication' } : {}),
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
        MobileVersion: 'No',
        MFAUsed: o.mfaUsed,
        ...(o.mfaUsed === 'Yes' && !failed ? { MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/${o.user}` } : {}),
      },
      eventType: 'AwsConsoleSignIn',
      readOnly: false,
    },
  });
}

// ---- CloudTrail, EC2, RDS -------------------------------------------------------------------

export const trailArn = (name: string, region = 'us-east-1'): string =>
  `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

/** A call to cloudtrail.amazonaws.com on a trail (DeleteTrail, StopLogging, UpdateTrail). */
export function trailCall(
  o: Omit<CallOptions, 'request'> & { trail: string; request?: Record<string, unknown> },
): Record<string, unknown> {
  return call('cloudtrail.amazonaws.com', { ...o, request: { name: trailArn(o.trail), ...o.request } });
}

/** GetPasswordData of one EC2 instance: the password data is never logged (responseElements null). */
export const getPasswordData = (
  o: Omit<CallOptions, 'name' | 'request'> & { instanceId: string },
): Record<string, unknown> =>
  call('ec2.amazonaws.com', { ...o, name: 'GetPasswordData', request: { instanceId: o.instanceId }, readOnly: true });

export const instanceId = (n: number): string => `i-0${n.toString(16).padStart(16, '0')}`;

// ---- KMS -----------------------------------------------------------------------------------

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal: unknown;
  Action: string | string[];
  Resource: string;
  Condition?: Record<string, unknown>;
}

/** a key policy as KMS receives it: CloudTrail logs `requestParameters.policy` as the JSON text sent */
export const keyPolicy = (statements: PolicyStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Id: 'key-policy-1', Statement: statements }, null, 2);

export const rootAdminStatement: PolicyStatement = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

export const keyId = (n: number): string => `${n.toString(16).padStart(8, '0')}-1234-4abc-8def-0123456789ab`;

/** CreateKey with a policy: the request AWS documents and the key metadata it returns */
export function createKey(
  o: Omit<CallOptions, 'name' | 'request' | 'response'> & { policy?: string; key: string },
): Record<string, unknown> {
  return call('kms.amazonaws.com', {
    ...o,
    name: 'CreateKey',
    request: {
      ...(o.policy !== undefined ? { policy: o.policy } : {}),
      description: 'data key',
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      bypassPolicyLockoutSafetyCheck: false,
      multiRegion: false,
    },
    response: {
      keyMetadata: {
        aWSAccountId: ACCOUNT,
        keyId: o.key,
        arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${o.key}`,
        creationDate: 'Nov 18, 2026, 10:00:00 AM',
        enabled: true,
        description: 'data key',
        keyUsage: 'ENCRYPT_DECRYPT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        keySpec: 'SYMMETRIC_DEFAULT',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        multiRegion: false,
      },
    },
  });
}

export function putKeyPolicy(
  o: Omit<CallOptions, 'name' | 'request' | 'response'> & { policy: string; key: string },
): Record<string, unknown> {
  return call('kms.amazonaws.com', {
    ...o,
    name: 'PutKeyPolicy',
    request: { keyId: o.key, policyName: 'default', policy: o.policy, bypassPolicyLockoutSafetyCheck: false },
    extra: {
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${o.key}` }],
    },
  });
}

// ---- S3 ------------------------------------------------------------------------------------

const s3Common = (bucket: string): Record<string, unknown> => ({
  bucketName: bucket,
  Host: `${bucket}.s3.us-east-1.amazonaws.com`,
});

/** S3 bucket calls (management events on s3.amazonaws.com) */
export const s3 = (o: CallOptions): Record<string, unknown> =>
  call('s3.amazonaws.com', {
    ...o,
    agent: o.agent ?? AGENT.s3console,
    extra: {
      additionalEventData: {
        SignatureVersion: 'SigV4',
        CipherSuite: 'TLS_AES_128_GCM_SHA256',
        bytesTransferredIn: 0,
        AuthenticationMethod: 'AuthHeader',
        'x-amz-id-2': 'EXAMPLEid2',
        bytesTransferredOut: 0,
      },
      ...o.extra,
    },
  });

export const putBucketVersioning = (
  o: Omit<CallOptions, 'name' | 'request'> & {
    bucket: string;
    status: 'Enabled' | 'Suspended';
    mfaDelete?: 'Enabled' | 'Disabled';
  },
) =>
  s3({
    ...o,
    name: 'PutBucketVersioning',
    request: {
      ...s3Common(o.bucket),
      versioning: '',
      VersioningConfiguration: {
        Status: o.status,
        ...(o.mfaDelete ? { MfaDelete: o.mfaDelete } : {}),
        xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
      },
    },
  });

export interface LifecycleRule {
  id: string;
  days: number;
  prefix?: string;
}

/** PutBucketLifecycle: one Rule is an object, several an array (the XML body as CloudTrail renders it) */
export const putBucketLifecycle = (
  o: Omit<CallOptions, 'name' | 'request'> & { bucket: string; rules: LifecycleRule[] },
) => {
  const rules = o.rules.map((r) => ({
    ID: r.id,
    Filter: { Prefix: r.prefix ?? '' },
    Status: 'Enabled',
    Expiration: { Days: r.days },
  }));
  return s3({
    ...o,
    name: 'PutBucketLifecycle',
    request: {
      ...s3Common(o.bucket),
      lifecycle: '',
      LifecycleConfiguration: {
        xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
        Rule: rules.length === 1 ? rules[0] : rules,
      },
    },
  });
};

/**
 * CopyObject, an S3 data event: the copy source and encryption headers are logged in
 * requestParameters; eventCategory Data, not a management event.
 */
export function copyObject(
  o: Omit<CallOptions, 'name' | 'request'> & {
    bucket: string;
    key: string;
    source: string;
    sse?: 'aws:kms' | 'AES256';
    kmsKey?: string;
  },
): Record<string, unknown> {
  const sse = o.sse
    ? {
        'x-amz-server-side-encryption': o.sse,
        ...(o.sse === 'aws:kms' && o.kmsKey ? { 'x-amz-server-side-encryption-aws-kms-key-id': o.kmsKey } : {}),
      }
    : {};
  return s3({
    ...o,
    name: 'CopyObject',
    agent: o.agent ?? AGENT.boto3,
    request: { ...s3Common(o.bucket), 'x-amz-copy-source': o.source, key: o.key, ...sse },
    response: { ...sse },
    extra: {
      eventCategory: 'Data',
      managementEvent: false,
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${o.bucket}/${o.key}` },
        { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${o.bucket}` },
      ],
      ...o.extra,
    },
  });
}

// ---- ECR image scans -----------------------------------------------------------------------

export const DIGEST = 'sha256:0f1e2d3c4b5a';

/**
 * DescribeImageScanFindings with the findings in responseElements (the scan as ECR returns it);
 * `imageId` is what the caller asked for: a digest or only a tag.
 */
export function describeScanFindings(o: {
  time: string;
  who?: Identity;
  ip?: string;
  agent?: string;
  repository: string;
  imageId?: { imageDigest?: string; imageTag?: string };
  findings: Finding[] | null;
}): Record<string, unknown> {
  const imageId = o.imageId ?? { imageDigest: DIGEST };
  const response = o.findings === null ? null : scanFindingsResponse(o.repository, o.findings);
  return call('ecr.amazonaws.com', {
    time: o.time,
    name: 'DescribeImageScanFindings',
    ...(o.who ? { who: o.who } : {}),
    ...(o.ip ? { ip: o.ip } : {}),
    agent: o.agent ?? AGENT.cli,
    request: { ...scanRequest(o.repository), imageId },
    readOnly: true,
    ...(response
      ? { response }
      : {
          error: {
            code: 'ScanNotFoundException',
            message: `Image scan does not exist for the image with '{imageDigest:'${DIGEST}', imageTag:'null'}' in the repository with name '${o.repository}' in the registry with id '${ACCOUNT}'`,
          },
        }),
  });
}
