/**
 * The synthetic AWS organisation the demo's traffic happens in, as data: accounts, regions,
 * people, CI users, workloads, repositories, addresses and user agents. Addresses come from
 * the documentation ranges (RFC 5737 TEST-NETs and RFC 1918) so no real host is ever named.
 */

export type AccountAlias = 'prod' | 'staging' | 'sandbox';
export type Region = 'us-east-1' | 'us-west-2' | 'eu-west-1';

export interface Account {
  alias: AccountAlias;
  id: string;
  /** Security Lake collects this account's CloudTrail: its events also appear as OCSF */
  securityLake: boolean;
  /** regions with ECR registries; the first one is where CI pushes most */
  ecrRegions: Region[];
  /** egress address of the inventory Lambda */
  lambdaIp: string;
}

export const REGIONS: readonly Region[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

export const ACCOUNTS: readonly Account[] = [
  {
    alias: 'prod',
    id: '210987654321',
    securityLake: true,
    ecrRegions: ['us-east-1', 'eu-west-1'],
    lambdaIp: '198.51.100.51',
  },
  { alias: 'staging', id: '345678901234', securityLake: true, ecrRegions: ['us-west-2'], lambdaIp: '198.51.100.52' },
  { alias: 'sandbox', id: '456789012345', securityLake: false, ecrRegions: ['us-east-1'], lambdaIp: '198.51.100.53' },
];

export function account(alias: AccountAlias): Account {
  const found = ACCOUNTS.find((a) => a.alias === alias);
  if (!found) throw new RangeError(`no demo account ${alias}`);
  return found;
}

/** The IAM users CI pushes images as: the demo's ECR allow-list (see DEMO_MACROS). */
export interface CiUser {
  name: string;
  accounts: AccountAlias[];
  /** CI runner NAT gateway */
  ip: string;
  /** pipelines a weekday, per account */
  pipelinesPerDay: [number, number];
}

export const CI_USERS: readonly CiUser[] = [
  { name: 'ci-builder', accounts: ['prod', 'staging', 'sandbox'], ip: '198.51.100.10', pipelinesPerDay: [3, 7] },
  { name: 'release-bot', accounts: ['prod', 'staging', 'sandbox'], ip: '198.51.100.11', pipelinesPerDay: [1, 2] },
];

/** People with IAM users: console sessions through a role, and some CLI use. */
export interface Person {
  name: string;
  /** role they switch to in each account they work in */
  roles: Partial<Record<AccountAlias, string>>;
  /** UTC hour their day usually starts */
  startHour: number;
  ip: string;
  browser: string;
  /** chance of working on a Saturday or Sunday (on-call) */
  weekendChance: number;
  /** also uses the CLI with an access key */
  cli: boolean;
  /** creates repositories and users now and then */
  admin: boolean;
}

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export const PEOPLE: readonly Person[] = [
  {
    name: 'alice.nguyen',
    roles: { sandbox: 'Developer', staging: 'Developer' },
    startHour: 8,
    ip: '192.0.2.24',
    browser: CHROME_MAC,
    weekendChance: 0.05,
    cli: true,
    admin: false,
  },
  {
    name: 'bob.martin',
    roles: { sandbox: 'Developer', prod: 'ReadOnly' },
    startHour: 9,
    ip: '192.0.2.31',
    browser: FIREFOX,
    weekendChance: 0.05,
    cli: true,
    admin: false,
  },
  {
    name: 'carol.smith',
    roles: { prod: 'Admin', staging: 'Admin', sandbox: 'Admin' },
    startHour: 7,
    ip: '192.0.2.40',
    browser: CHROME_LINUX,
    weekendChance: 0.1,
    cli: true,
    admin: true,
  },
  {
    name: 'dave.okafor',
    roles: { prod: 'SRE', staging: 'SRE' },
    startHour: 10,
    ip: '192.0.2.57',
    browser: CHROME_MAC,
    weekendChance: 0.3,
    cli: false,
    admin: false,
  },
  {
    // a contractor with read access: never pushes images in ordinary traffic
    name: 'contractor-dana',
    roles: { sandbox: 'Developer', prod: 'ReadOnly' },
    startHour: 13,
    ip: '192.0.2.88',
    browser: FIREFOX,
    weekendChance: 0,
    cli: false,
    admin: false,
  },
];

/** EKS clusters whose nodes pull images through an ECR VPC endpoint. */
export interface Cluster {
  account: AccountAlias;
  region: Region;
  vpcEndpointId: string;
  /** node instance ids and private addresses */
  nodes: { instanceId: string; ip: string }[];
}

export const CLUSTERS: readonly Cluster[] = [
  {
    account: 'prod',
    region: 'us-east-1',
    vpcEndpointId: 'vpce-0a1b2c3d4e5f60718',
    nodes: [
      { instanceId: 'i-0f3a9c2d41b7e8a01', ip: '10.20.11.37' },
      { instanceId: 'i-0c81d4e5f6a7b9c02', ip: '10.20.12.91' },
      { instanceId: 'i-05e2f8a9b1c3d4e03', ip: '10.20.13.14' },
    ],
  },
  {
    account: 'prod',
    region: 'eu-west-1',
    vpcEndpointId: 'vpce-0b2c3d4e5f6071829',
    nodes: [
      { instanceId: 'i-0a7b8c9d0e1f2a304', ip: '10.30.11.52' },
      { instanceId: 'i-0d4e5f6a7b8c9d005', ip: '10.30.12.8' },
    ],
  },
  {
    account: 'staging',
    region: 'us-west-2',
    vpcEndpointId: 'vpce-0c3d4e5f607182930',
    nodes: [
      { instanceId: 'i-0e5f6a7b8c9d0e106', ip: '10.40.11.73' },
      { instanceId: 'i-0b6c7d8e9f0a1b207', ip: '10.40.12.19' },
    ],
  },
];

export const REPOSITORIES: readonly string[] = [
  'web-frontend',
  'payments-api',
  'orders-service',
  'billing-worker',
  'auth-service',
  'notifications',
];

/** Words for names of new repositories and service users the admin creates. */
export const NAME_WORDS: readonly string[] = [
  'atlas',
  'beacon',
  'cobalt',
  'delta',
  'ember',
  'falcon',
  'garnet',
  'harbor',
];

export const ROLES = {
  inventory: 'inventory-collector-role',
  eksNode: 'eks-node-role',
} as const;

export const AGENTS = {
  awsCli:
    'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1024-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#',
  awsCliMac:
    'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#',
  dockerCi:
    'docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/6.5.0-1024-aws os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.7 \\(linux\\))',
  dockerMac:
    'docker/26.1.4 go/go1.21.11 git-commit/de5c9cf kernel/6.6.32-linuxkit os/linux arch/arm64 UpstreamClient(Docker-Client/26.1.4 \\(darwin\\))',
  console: 'console.amazonaws.com',
  lambda:
    'Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145',
  containerd: 'containerd/1.7.11',
  ecrCredentialProvider:
    'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.21.9 md/GOOS#linux md/GOARCH#amd64 api/ecr#1.27.3 ecr-credential-provider/1.29.0',
} as const;

/**
 * The attacker of the planted scenarios: a contractor's long-term access key used from outside
 * the office, and the address a stolen CI key is replayed from.
 */
export const ATTACKER = { userName: 'contractor-dana', ip: '203.0.113.77', replayIp: '203.0.113.200' } as const;

/** The business day the ordinary ECR uploads keep to (UTC, weekdays): well inside 08:00–20:00. */
export const CI_HOURS = { from: 9, to: 18 } as const;
