/**
 * The service-specific part of each CloudTrail event the demo produces: request parameters,
 * response elements and flags, shaped after the AWS user guides' examples (ECR's are in
 * shared/reference/ecr_doc_examples.cloudtrail.json). One function per API call.
 */
import { HOUR_MS, javaDate } from './clock.js';
import { assumedRoleArn, roleId } from './identity.js';
import { severityCounts, type Finding, type Image } from './images.js';
import type { JsonObject } from './json.js';
import type { ApiCall } from './record.js';
import type { Rng } from './rng.js';

const repositoryArn = (accountId: string, region: string, repo: string): string =>
  `arn:aws:ecr:${region}:${accountId}:repository/${repo}`;
const repositoryResource = (accountId: string, region: string, repo: string): JsonObject[] => [
  { accountId, type: 'AWS::ECR::Repository', ARN: repositoryArn(accountId, region, repo) },
];

export function consoleLogin(args: { accountId: string; userName: string; success: boolean; mfa: boolean }): ApiCall {
  const additional: JsonObject = {
    LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1',
    MobileVersion: 'No',
  };
  if (args.mfa) additional.MFAIdentifier = `arn:aws:iam::${args.accountId}:mfa/${args.userName}`;
  additional.MFAUsed = args.mfa ? 'Yes' : 'No';
  return {
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    region: 'us-east-1',
    requestParameters: null,
    responseElements: { ConsoleLogin: args.success ? 'Success' : 'Failure' },
    additionalEventData: additional,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    hasRequestId: false,
    eventVersion: '1.08',
    tlsHost: 'signin.aws.amazon.com',
    ...(args.success ? {} : { error: { message: 'Failed authentication' } }),
  };
}

/** STS AssumeRole; the caller's new session credentials are `accessKeyId`. */
export function assumeRole(args: {
  accountId: string;
  roleName: string;
  sessionName: string;
  accessKeyId: string;
  timeMs: number;
  rng: Rng;
  /** AWS services assuming their execution role: no TLS details, no assumedRoleUser */
  byService?: boolean;
}): ApiCall {
  const roleArn = `arn:aws:iam::${args.accountId}:role/${args.roleName}`;
  const response: JsonObject = {
    credentials: {
      accessKeyId: args.accessKeyId,
      sessionToken: `IQoJb3JpZ2luX2VjE${args.rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      expiration: javaDate(args.timeMs + HOUR_MS),
    },
  };
  if (!args.byService) {
    response.assumedRoleUser = {
      assumedRoleId: `${roleId(args.accountId, args.roleName)}:${args.sessionName}`,
      arn: assumedRoleArn(args.accountId, args.roleName, args.sessionName),
    };
  }
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    requestParameters: {
      roleArn,
      roleSessionName: args.sessionName,
      ...(args.byService ? {} : { durationSeconds: 3600 }),
    },
    responseElements: response,
    resources: [{ accountId: args.accountId, type: 'AWS::IAM::Role', ARN: roleArn }],
    readOnly: true,
    eventVersion: '1.08',
    ...(args.byService ? { tlsHost: null } : {}),
  };
}

export function getCallerIdentity(): ApiCall {
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'GetCallerIdentity',
    requestParameters: null,
    responseElements: null,
    readOnly: true,
    eventVersion: '1.08',
  };
}

export function describeInstances(): ApiCall {
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    requestParameters: { instancesSet: {}, filterSet: {} },
    responseElements: null,
    readOnly: true,
  };
}

export function describeSecurityGroups(): ApiCall {
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeSecurityGroups',
    requestParameters: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} },
    responseElements: null,
    readOnly: true,
  };
}

export function listBuckets(rng: Rng): ApiCall {
  return {
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    region: 'us-east-1',
    requestParameters: { Host: 's3.amazonaws.com' },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': rng.chars(76, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      bytesTransferredOut: rng.int(900, 4000),
    },
    readOnly: true,
    eventVersion: '1.10',
  };
}

export function listUsers(): ApiCall {
  return {
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    region: 'us-east-1',
    requestParameters: null,
    responseElements: null,
    readOnly: true,
  };
}

export function createUser(args: { accountId: string; userName: string; userId: string; timeMs: number }): ApiCall {
  return {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    region: 'us-east-1',
    requestParameters: { userName: args.userName },
    responseElements: {
      user: {
        path: '/',
        userName: args.userName,
        userId: args.userId,
        arn: `arn:aws:iam::${args.accountId}:user/${args.userName}`,
        createDate: javaDate(args.timeMs),
      },
    },
    readOnly: false,
  };
}

export function attachUserPolicy(args: { userName: string; policyArn: string }): ApiCall {
  return {
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    region: 'us-east-1',
    requestParameters: { userName: args.userName, policyArn: args.policyArn },
    responseElements: null,
    readOnly: false,
  };
}

export function getAuthorizationToken(): ApiCall {
  return {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'GetAuthorizationToken',
    requestParameters: null,
    responseElements: null,
    readOnly: true,
    eventVersion: '1.08',
  };
}

/** `alreadyExists`: the CI's create-if-missing step failing harmlessly. */
export function createRepository(args: {
  accountId: string;
  region: string;
  repo: string;
  timeMs: number;
  alreadyExists: boolean;
}): ApiCall {
  const base = {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'CreateRepository',
    requestParameters: { repositoryName: args.repo },
    readOnly: false,
    eventVersion: '1.08',
  };
  if (args.alreadyExists) {
    return {
      ...base,
      responseElements: null,
      error: {
        code: 'RepositoryAlreadyExistsException',
        message: `The repository with name '${args.repo}' already exists in the registry with id '${args.accountId}'`,
      },
    };
  }
  return {
    ...base,
    responseElements: {
      repository: {
        repositoryArn: repositoryArn(args.accountId, args.region, args.repo),
        repositoryName: args.repo,
        repositoryUri: `${args.accountId}.dkr.ecr.${args.region}.amazonaws.com/${args.repo}`,
        createdAt: javaDate(args.timeMs),
        registryId: args.accountId,
      },
    },
    resources: repositoryResource(args.accountId, args.region, args.repo),
  };
}

export function putImage(args: {
  accountId: string;
  region: string;
  repo: string;
  tag: string;
  image: Image;
}): ApiCall {
  return {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'PutImage',
    requestParameters: {
      repositoryName: args.repo,
      imageTag: args.tag,
      registryId: args.accountId,
      imageManifest: args.image.manifest,
    },
    responseElements: {
      image: {
        repositoryName: args.repo,
        imageManifest: args.image.manifest,
        registryId: args.accountId,
        imageId: { imageDigest: args.image.digest, imageTag: args.tag },
      },
    },
    resources: repositoryResource(args.accountId, args.region, args.repo),
    readOnly: false,
    eventVersion: '1.08',
  };
}

export function describeImageScanFindings(args: {
  accountId: string;
  region: string;
  repo: string;
  tag: string;
  image: Image;
  findings: readonly Finding[];
  /** when the scan finished (before the call) */
  completedMs: number;
}): ApiCall {
  return {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'DescribeImageScanFindings',
    requestParameters: {
      repositoryName: args.repo,
      imageId: { imageDigest: args.image.digest },
      registryId: args.accountId,
    },
    responseElements: {
      registryId: args.accountId,
      repositoryName: args.repo,
      imageId: { imageDigest: args.image.digest, imageTag: args.tag },
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindings: {
        imageScanCompletedAt: javaDate(args.completedMs),
        vulnerabilitySourceUpdatedAt: javaDate(args.completedMs - 5 * HOUR_MS),
        findingSeverityCounts: severityCounts(args.findings),
        findings: args.findings.map((f) => ({
          name: f.name,
          description: f.description,
          uri: f.uri,
          severity: f.severity,
          attributes: f.attributes.map((a) => ({ key: a.key, value: a.value })),
        })),
      },
    },
    resources: repositoryResource(args.accountId, args.region, args.repo),
    readOnly: true,
    eventVersion: '1.08',
  };
}

const ACCEPTED_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export function batchGetImage(args: { accountId: string; region: string; repo: string; tag: string }): ApiCall {
  return {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'BatchGetImage',
    requestParameters: {
      imageIds: [{ imageTag: args.tag }],
      acceptedMediaTypes: [...ACCEPTED_MEDIA_TYPES],
      repositoryName: args.repo,
      registryId: args.accountId,
    },
    responseElements: null,
    resources: repositoryResource(args.accountId, args.region, args.repo),
    readOnly: true,
    eventVersion: '1.08',
  };
}

export function getDownloadUrlForLayer(args: {
  accountId: string;
  region: string;
  repo: string;
  layerDigest: string;
}): ApiCall {
  return {
    eventSource: 'ecr.amazonaws.com',
    eventName: 'GetDownloadUrlForLayer',
    requestParameters: { registryId: args.accountId, repositoryName: args.repo, layerDigest: args.layerDigest },
    responseElements: null,
    resources: repositoryResource(args.accountId, args.region, args.repo),
    readOnly: true,
    eventVersion: '1.08',
  };
}
