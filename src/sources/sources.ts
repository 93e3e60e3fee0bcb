import { cloudtrailTable } from './cloudtrail-table.js';
import { securityLakeTable } from './security-lake-table.js';
import { OCSF_1_1_TO_RC2, securityLakeV1Table } from './security-lake-v1-table.js';
import type { TableSchema } from './table-schema.js';

/**
 * A Splunk sourcetype hunt can search, as data: the table that holds it, how `_time` is
 * derived, how SPL field names map to columns, and the search-time fields Splunk's add-on
 * defines (written as SPL eval expressions over the raw field names, compiled like any eval).
 */
export interface SourceDef {
  sourcetype: string;
  description: string;
  schema: TableSchema;
  /** how raw SPL names find columns: CloudTrail JSON names (camelCase) or OCSF column names */
  naming: 'json' | 'column';
  time: { kind: 'iso-string'; column: string } | { kind: 'epoch-ms'; column: string };
  /** search-time fields: SPL field → eval expression over raw fields (and other derived fields) */
  derived: Record<string, string>;
  /** what `_raw` means for this source, for documentation and messages */
  raw: string;
  /**
   * An eval expression over raw fields that is distinct exactly when `_raw` is: the event's
   * id (the lake keeps one event per id), so `dc(_raw)` counts distinct events.
   */
  rawIdentity: string;
  /**
   * Raw names the content uses → the name this table has for the same value (a Security Lake
   * v1 table read with OCSF 1.1 names). A name here is looked up as its target, and only so.
   */
  aliases?: Record<string, string>;
}

const IAM_POLICY_WRITES = [
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'PutGroupPolicy',
  'AttachRolePolicy',
  'AttachUserPolicy',
  'AttachGroupPolicy',
  'CreatePolicy',
  'CreatePolicyVersion',
]
  .map((e) => `"${e}"`)
  .join(', ');

const ARN_TAIL = (f: string): string => `mvindex(split(mvindex(split(${f}, ":"), -1), "/"), -1)`;

/** Splunk Add-on for AWS, sourcetype aws:cloudtrail (see SEMANTICS.md for the table). */
export const AWS_CLOUDTRAIL: SourceDef = {
  sourcetype: 'aws:cloudtrail',
  description: 'AWS CloudTrail events in the Athena CloudTrail table',
  schema: cloudtrailTable,
  naming: 'json',
  time: { kind: 'iso-string', column: 'eventtime' },
  raw: "the event's JSON text, which the CloudTrail table does not keep",
  // CloudTrail gives every event its own eventID and delivers a duplicate as the same record
  // (same text, same eventID), so distinct eventIDs are distinct _raw texts
  rawIdentity: 'eventID',
  derived: {
    src: 'sourceIPAddress',
    src_ip: 'sourceIPAddress',
    signature: 'eventName',
    vendor_region: 'awsRegion',
    region: 'awsRegion',
    vendor_account: "coalesce('userIdentity.accountId', recipientAccountId)",
    vendor_product: '"AWS CloudTrail"',
    dest: 'eventSource',
    dvc: 'eventSource',
    app: 'eventType',
    user_agent: 'userAgent',
    user_arn: "coalesce('userIdentity.arn', 'requestParameters.roleArn')",
    userName: `coalesce('userIdentity.userName', 'requestParameters.sourceIdentity', 'userIdentity.sessionContext.sessionIssuer.userName', ${ARN_TAIL("'userIdentity.arn'")})`,
    user_name: 'userName',
    user: `if(eventName=="CreateUser", coalesce('responseElements.user.userName', 'requestParameters.userName'), coalesce('userIdentity.userName', 'userIdentity.sessionContext.sessionIssuer.userName'))`,
    user_type: "'userIdentity.type'",
    errorCode: `coalesce(errorCode, if('responseElements.ConsoleLogin'=="Failure", "failure", null()), "success")`,
    result_id: 'errorCode',
    result: 'errorMessage',
    reason: 'errorMessage',
    action: `if(eventName=="ConsoleLogin", if(errorCode=="success", "success", "failure"), null())`,
    status: `if(eventName=="ConsoleLogin" OR eventName IN (${IAM_POLICY_WRITES}), if(errorCode=="success", "success", "failure"), null())`,
    date_hour: 'tonumber(hunt_utc_strftime(_time, "%H"))',
    date_minute: 'tonumber(hunt_utc_strftime(_time, "%M"))',
    date_second: 'tonumber(hunt_utc_strftime(_time, "%S"))',
    date_mday: 'tonumber(hunt_utc_strftime(_time, "%d"))',
    date_month: 'lower(hunt_utc_strftime(_time, "%B"))',
    date_year: 'tonumber(hunt_utc_strftime(_time, "%Y"))',
    date_wday: 'lower(hunt_utc_strftime(_time, "%A"))',
  },
};

/** Amazon Security Lake (OCSF 1.1, source version 2), sourcetype aws:asl: OCSF dotted names. */
export const AWS_ASL: SourceDef = {
  sourcetype: 'aws:asl',
  description: 'Amazon Security Lake CloudTrail management events (OCSF 1.1)',
  schema: securityLakeTable,
  naming: 'column',
  time: { kind: 'epoch-ms', column: 'time' },
  raw: 'not available: Security Lake keeps no raw event text',
  rawIdentity: "'metadata.uid'",
  derived: {},
};

/**
 * A Security Lake source version 1 table (OCSF 1.0.0-rc.2) under the same sourcetype: its own
 * columns, read under the OCSF 1.1 names ESCU's content uses where rc.2 has the same value.
 * Chosen by configuration (`sources.security_lake.version: 1`), never by the search.
 */
export const AWS_ASL_V1: SourceDef = {
  ...AWS_ASL,
  description: 'Amazon Security Lake CloudTrail management events, source version 1 (OCSF 1.0.0-rc.2)',
  schema: securityLakeV1Table,
  aliases: OCSF_1_1_TO_RC2,
};

/** The sourcetypes a search can name (AWS_ASL_V1 is a table layout of aws:asl, not a sourcetype). */
export const SOURCES: SourceDef[] = [AWS_CLOUDTRAIL, AWS_ASL];

export function sourceFor(sourcetype: string): SourceDef | undefined {
  return SOURCES.find((s) => s.sourcetype === sourcetype.toLowerCase());
}
