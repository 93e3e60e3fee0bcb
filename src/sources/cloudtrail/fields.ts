import type { SourceDef } from '../source.js';
import { cloudtrailTable } from './table.js';

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
  raw: "the event's JSON text, rebuilt from the table's columns",
  rawText: 'json-columns',
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
    // Splunk_TA_aws props.conf [aws:cloudtrail], Authentication CIM
    aws_account_id: `if('userIdentity.type'=="AWSAccount" OR 'userIdentity.type'=="AWSService", recipientAccountId, 'userIdentity.accountId')`,
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
