/**
 * Security Lake records of the findings and EKS audit tables for tests, built from the public
 * OCSF 1.1.0 schema (Detection Finding 2004, Compliance Finding 2003, API Activity 6003) and
 * the real Parquet samples' columns (shared/reference), with values of our own. `rc2Finding`
 * is the same finding as OCSF 1.0.0-rc.2 Security Finding 2001, converted by hand (not by the
 * field table the import uses), so a wrong entry there makes the two differ.
 */
import { loadDetection } from '../../src/detections/load.js';
import type { Detection } from '../../src/detections/model.js';
import { ACCOUNT } from './events.js';
import { shared } from './shared.js';

type Obj = Record<string, unknown>;

/** A detection of shared/escu-more, loaded as `hunt run` loads it. */
export const moreDetection = (file: string): Detection => loadDetection(shared('escu-more', 'detections', file));

export interface FindingOptions {
  time: string;
  uid: string;
  title: string;
  /** ASFF resource type and id: AwsEc2Instance, AwsIamUser, ... */
  resource: { type: string; id: string };
  types?: string[];
  severity?: 'Informational' | 'Low' | 'Medium' | 'High' | 'Critical';
  compliance?: string;
  region?: string;
}

const SEVERITY_ID = { Informational: 1, Low: 2, Medium: 3, High: 4, Critical: 5 } as const;

export function shFinding(o: FindingOptions): Obj {
  const ms = Date.parse(o.time);
  const severity = o.severity ?? 'Medium';
  const region = o.region ?? 'us-east-1';
  const compliance = o.compliance !== undefined;
  return {
    metadata: {
      version: '1.1.0',
      product: {
        name: 'Security Hub',
        vendor_name: 'AWS',
        uid: `arn:aws:securityhub:${region}::product/aws/securityhub`,
        feature: { uid: 'aws-foundational-security-best-practices' },
      },
      profiles: ['cloud', 'datetime'],
    },
    time: ms,
    time_dt: o.time,
    class_uid: compliance ? 2003 : 2004,
    class_name: compliance ? 'Compliance Finding' : 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: compliance ? 200301 : 200401,
    severity_id: SEVERITY_ID[severity],
    severity,
    status: 'New',
    cloud: { account: { uid: ACCOUNT }, region, provider: 'AWS' },
    finding_info: {
      uid: o.uid,
      title: o.title,
      desc: `${o.title}.`,
      types: o.types ?? ['Software and Configuration Checks/AWS Security Best Practices'],
      created_time_dt: o.time,
      modified_time_dt: o.time,
    },
    ...(compliance ? { compliance: { status: o.compliance, control: 'EC2.8' } } : {}),
    resources: [
      { type: o.resource.type, uid: o.resource.id, region, cloud_partition: 'aws', data: { note: 'details' } },
    ],
  };
}

/** The same finding as Security Lake source version 1 wrote it (OCSF 1.0.0-rc.2 Security Finding). */
export function rc2Finding(o: FindingOptions): Obj {
  const ms = Date.parse(o.time);
  const region = o.region ?? 'us-east-1';
  const severity = o.severity ?? 'Medium';
  return {
    metadata: {
      version: '1.0.0-rc.2',
      product: { name: 'Security Hub', vendor_name: 'AWS', feature: { uid: 'x', name: 'Security Hub' } },
      profiles: ['cloud'],
    },
    time: ms,
    class_uid: 2001,
    class_name: 'Security Finding',
    category_uid: 2,
    severity_id: SEVERITY_ID[severity],
    severity,
    state_id: 1,
    state: 'New',
    cloud: { account_uid: ACCOUNT, region, provider: 'AWS' },
    finding: {
      uid: o.uid,
      title: o.title,
      desc: `${o.title}.`,
      types: o.types ?? ['Software and Configuration Checks/AWS Security Best Practices'],
      created_time: ms,
      modified_time: ms,
    },
    resources: [{ type: o.resource.type, uid: o.resource.id, region, cloud_partition: 'aws', details: '{}' }],
  };
}

export interface AuditOptions {
  time: string;
  id: string;
  user: string;
  groups: string[];
  /** the client first, then the proxies (the audit event's sourceIPs) */
  ips: string[];
  verb: string;
  uri: string;
  resource?: string;
  agent?: string;
  code?: number;
  reason?: string;
}

/** An EKS audit event as Security Lake writes it (OCSF 1.1 API Activity from Amazon EKS). */
export function eksEvent(o: AuditOptions): Obj {
  const ms = Date.parse(o.time);
  const [ip, ...proxies] = o.ips;
  const code = o.code ?? 403;
  // a success has no reason: only a failed request's status carries one
  const reason = o.reason ?? (code >= 400 ? 'Forbidden' : undefined);
  return {
    metadata: {
      log_level: 'Metadata',
      version: '1.1.0',
      product: { name: 'Amazon EKS', vendor_name: 'AWS', version: 'audit.k8s.io/v1' },
      profiles: ['cloud', 'container'],
    },
    time: ms,
    time_dt: o.time,
    start_time_dt: o.time,
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    category_name: 'Application Activity',
    activity_id: 2,
    activity_name: 'Read',
    type_uid: 600302,
    severity_id: 1,
    severity: 'Informational',
    api: {
      request: { uid: o.id },
      operation: o.verb,
      version: 'v1',
      response: { code, ...(reason ? { error: reason, message: reason.toLowerCase() } : {}) },
    },
    http_request: { url: { path: o.uri }, user_agent: o.agent ?? 'kubectl/v1.29.0 (linux/amd64) kubernetes/abc' },
    actor: { user: { name: o.user, groups: o.groups } },
    cloud: { account: { uid: ACCOUNT }, region: 'us-east-1', provider: 'AWS' },
    src_endpoint: { ip, ...(proxies.length ? { intermediate_ips: proxies } : {}) },
    ...(o.resource ? { resources: [{ type: o.resource, version: 'v1' }] } : {}),
  };
}

/** An unauthenticated request (the audit event's user system:anonymous). */
export const anonymousEvent = (o: Omit<AuditOptions, 'user' | 'groups'>): Obj =>
  eksEvent({ ...o, user: 'system:anonymous', groups: ['system:unauthenticated'] });
