import { cloudtrailTable } from '../cloudtrail/table.js';
import type { RawNameMap } from '../sourcetype.js';

/**
 * CloudTrail's raw names (those the Splunk Add-on for AWS content uses) on Security Lake's
 * CloudTrail table (OCSF 1.1): where AWS's mapping put each value, as SPL eval text over the
 * table's OCSF names. The inverse of the mapping src/demo/ocsf.ts writes records with (after
 * the OCSF project's CloudTrail examples in shared/reference/ocsf-1.1.0); a test holds the two
 * together. Raw leaves the mapping takes no column for are in `unmapped` under their dotted path.
 */
export const CLOUDTRAIL_ON_OCSF: RawNameMap = {
  of: 'CloudTrail',
  fields: {
    eventVersion: "'metadata.product.version'",
    // CloudTrail writes whole seconds in UTC with a Z; Security Lake keeps epoch milliseconds
    eventTime: 'hunt_utc_strftime(_time, "%Y-%m-%dT%H:%M:%SZ")',
    eventSource: "'api.service.name'",
    eventName: "'api.operation'",
    awsRegion: "'cloud.region'",
    // an address goes to src_endpoint.ip, a service name (lambda.amazonaws.com) to .domain
    sourceIPAddress: "coalesce('src_endpoint.ip', 'src_endpoint.domain')",
    userAgent: "'http_request.user_agent'",
    errorCode: "'api.response.error'",
    errorMessage: "'api.response.message'",
    requestID: "'api.request.uid'",
    eventID: "'metadata.uid'",
    eventType: "'metadata.event_code'",
    // without an eventCategory the mapping names all three trail categories
    eventCategory: `if('metadata.product.feature.name'=="Management, Data, and Insights", null(), 'metadata.product.feature.name')`,
    apiVersion: "'api.version'",
    vpcEndpointId: "'src_endpoint.uid'",
    'userIdentity.type': "'actor.user.type'",
    'userIdentity.principalId': "'actor.user.uid_alt'",
    'userIdentity.arn': "'actor.user.uid'",
    'userIdentity.accountId': "'actor.user.account.uid'",
    'userIdentity.accessKeyId': "'actor.user.credential_uid'",
    'userIdentity.userName': "'actor.user.name'",
    'userIdentity.invokedBy': "'actor.invoked_by'",
    // both land in actor.idp.name (web identity federation first)
    'userIdentity.identityProvider': "'actor.idp.name'",
    'userIdentity.sessionContext.webIdFederationData.federatedProvider': "'actor.idp.name'",
    // a boolean column: read as Splunk reads JSON booleans, "true" / "false"
    'userIdentity.sessionContext.attributes.mfaAuthenticated': "'actor.session.is_mfa'",
    'userIdentity.sessionContext.sessionIssuer.arn': "'actor.session.issuer'",
    'resources{}.ARN': "'resources{}.uid'",
    'resources{}.accountId': "'resources{}.owner.account.uid'",
    'resources{}.type': "'resources{}.type'",
    // Authentication records take these two into columns; other classes keep them in unmapped
    'additionalEventData.LoginTo': "coalesce('unmapped.additionalEventData.LoginTo', 'dst_endpoint.svc_name')",
    'additionalEventData.MFAUsed': `coalesce('unmapped.additionalEventData.MFAUsed', case('is_mfa'=="true", "Yes", 'is_mfa'=="false", "No"))`,
  },
  json: {
    requestParameters: 'api.request.data',
    responseElements: 'api.response.data',
  },
  missing: {
    _raw: 'Security Lake keeps no raw event text',
    'userIdentity.sessionContext.attributes.creationDate':
      "Security Lake keeps it as a timestamp (actor.session.created_time_dt), not CloudTrail's text",
  },
  // every top-level key of a CloudTrail record
  rest: { field: 'unmapped', under: cloudtrailTable.columns.map((c) => c.json ?? c.name) },
};
