/**
 * Event builders for tests, shaped like real CloudTrail records and their Security Lake (OCSF
 * 1.1) form (see ../shared/reference). Every event gets a fresh eventID / metadata.uid.
 */
let seq = 0;
const uuid = (): string => {
  seq++;
  const hex = seq.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
};

export const ACCOUNT = '111122223333';

export type Identity = Record<string, unknown>;

export const iamUser = (name: string, account = ACCOUNT): Identity => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase().padEnd(12, 'X')}`,
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: name,
});

export const assumedRole = (role: string, session: string, account = ACCOUNT): Identity => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLE:${session}`,
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
  accountId: account,
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: {
    attributes: { mfaAuthenticated: 'false', creationDate: '2026-11-18T00:00:00Z' },
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLE',
      arn: `arn:aws:iam::${account}:role/${role}`,
      accountId: account,
      userName: role,
    },
  },
});

export const rootUser = (account = ACCOUNT): Identity => ({
  type: 'Root',
  principalId: account,
  arn: `arn:aws:iam::${account}:root`,
  accountId: account,
});

export interface CtOptions {
  time: string;
  name?: string;
  source?: string;
  who?: Identity;
  ip?: string;
  region?: string;
  agent?: string;
  request?: Record<string, unknown> | null;
  response?: Record<string, unknown> | null;
  extra?: Record<string, unknown>;
}

export function ct(o: CtOptions): Record<string, unknown> {
  const who = o.who ?? iamUser('alice');
  return {
    eventVersion: '1.08',
    userIdentity: who,
    eventTime: o.time,
    eventSource: o.source ?? 'ecr.amazonaws.com',
    eventName: o.name ?? 'PutImage',
    awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: o.ip ?? '198.51.100.7',
    userAgent: o.agent ?? 'docker/24.0.7 go/go1.20.10',
    requestParameters: o.request === undefined ? putImageRequest('web', 'v1') : o.request,
    responseElements: o.response === undefined ? null : o.response,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: (who.accountId as string | undefined) ?? ACCOUNT,
    eventCategory: 'Management',
    ...o.extra,
  };
}

export const putImageRequest = (repositoryName: string, imageTag: string): Record<string, unknown> => ({
  registryId: ACCOUNT,
  repositoryName,
  imageTag,
  imageManifest: '{"schemaVersion":2}',
  imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
});

export interface Finding {
  name: string;
  severity: string;
  description?: string;
  uri?: string;
}

export const scanFindingsResponse = (repositoryName: string, findings: Finding[]): Record<string, unknown> => ({
  registryId: ACCOUNT,
  repositoryName,
  imageId: { imageDigest: 'sha256:0f1e2d3c4b5a', imageTag: 'v1' },
  imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
  imageScanFindings: {
    findings: findings.map((f) => ({
      name: f.name,
      ...(f.description !== undefined ? { description: f.description } : {}),
      uri: f.uri ?? `https://cve.example/${f.name}`,
      severity: f.severity,
      attributes: [
        { key: 'package_version', value: '1.2.3' },
        { key: 'package_name', value: 'openssl' },
      ],
    })),
    imageScanCompletedAt: 'Nov 18, 2026 10:00:00 AM',
    vulnerabilitySourceUpdatedAt: 'Nov 17, 2026 11:00:00 PM',
    findingSeverityCounts: {},
  },
});

export const scanRequest = (repositoryName: string): Record<string, unknown> => ({
  repositoryName,
  imageId: { imageDigest: 'sha256:0f1e2d3c4b5a' },
  registryId: ACCOUNT,
});

export interface OcsfOptions {
  time: string;
  operation?: string;
  service?: string;
  userName?: string | null;
  userUid?: string;
  userType?: string;
  account?: string;
  ip?: string | null;
  region?: string;
  agent?: string;
  request?: Record<string, unknown> | null;
  classUid?: number;
}

/** A Security Lake (OCSF 1.1) API Activity record. */
export function ocsf(o: OcsfOptions): Record<string, unknown> {
  const ms = Date.parse(o.time);
  const account = o.account ?? ACCOUNT;
  const name = o.userName === undefined ? 'alice' : o.userName;
  const user: Record<string, unknown> = {
    type: o.userType ?? 'IAMUser',
    uid: o.userUid ?? `arn:aws:iam::${account}:user/${name ?? 'unknown'}`,
    uid_alt: 'AIDAEXAMPLE',
    account: { uid: account },
    credential_uid: 'AKIAIOSFODNN7EXAMPLE',
  };
  if (name !== null) user.name = name;
  const region = o.region ?? 'us-east-1';
  return {
    activity_id: 3,
    activity_name: 'Update',
    actor: { user },
    api: {
      operation: o.operation ?? 'PutImage',
      request: {
        uid: uuid(),
        ...(o.request === null ? {} : { data: JSON.stringify(o.request ?? putImageRequest('web', 'v1')) }),
      },
      response: {},
      service: { name: o.service ?? 'ecr.amazonaws.com' },
    },
    category_name: 'Application Activity',
    category_uid: 6,
    class_name: 'API Activity',
    class_uid: o.classUid ?? 6003,
    cloud: { provider: 'AWS', region },
    http_request: { user_agent: o.agent ?? 'docker/24.0.7 go/go1.20.10' },
    metadata: {
      event_code: 'AwsApiCall',
      product: { feature: { name: 'Management' }, name: 'CloudTrail', vendor_name: 'AWS', version: '1.08' },
      profiles: ['cloud', 'datetime'],
      uid: uuid(),
      version: '1.1.0',
    },
    severity: 'Informational',
    severity_id: 1,
    ...(o.ip === null ? {} : { src_endpoint: { ip: o.ip ?? '198.51.100.7' } }),
    status: 'Success',
    time: ms,
    time_dt: new Date(ms).toISOString(),
    type_name: 'API Activity: Update',
    type_uid: 600303,
    accountid: account,
    region,
  };
}
