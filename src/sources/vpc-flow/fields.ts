import { identityOf, ocsfSourcetype } from '../security-lake-class/define.js';
import type { RawNameMap, SourceDef } from '../sourcetype.js';
import { vpcFlowTable } from './tables.js';

/** VPC Flow in Security Lake (OCSF 1.1), under its own OCSF names. */
export const AWS_ASL_VPCFLOW = ocsfSourcetype({
  sourcetype: 'aws:asl:vpcflow',
  description: 'Amazon Security Lake VPC Flow Logs (OCSF 1.1 Network Activity)',
  schema: vpcFlowTable,
  // flow records carry no id: the flow's own fields are its identity
  rawIdentity: identityOf([
    "'src_endpoint.interface_uid'",
    "'src_endpoint.ip'",
    "'dst_endpoint.ip'",
    "'src_endpoint.port'",
    "'dst_endpoint.port'",
    "'time'",
  ]),
});

/**
 * The Splunk Add-on for AWS's raw names for `aws:cloudwatchlogs:vpcflow` (its EXTRACT over the
 * default flow-log line: version account_id interface_id src_ip dest_ip src_port dest_port
 * protocol_code packets bytes start_time end_time vpcflow_action log_status) on Security Lake's
 * VPC Flow table, after Security Lake's mapping of the flow-log fields (the OpenSearch Security
 * Analytics vpcflow mapping agrees: srcaddr → src_endpoint.ip, protocol → connection_info.protocol_num,
 * action → disposition, log-status → status_code).
 */
export const VPCFLOW_ON_OCSF: RawNameMap = {
  of: 'VPC Flow Logs (aws:cloudwatchlogs:vpcflow)',
  fields: {
    version: "'metadata.product.version'",
    account_id: "'cloud.account.uid'",
    // the interface the flow was captured on: Security Lake sets it on the side it belongs to
    interface_id: "coalesce('src_endpoint.interface_uid', 'dst_endpoint.interface_uid')",
    src_ip: "'src_endpoint.ip'",
    dest_ip: "'dst_endpoint.ip'",
    src_port: "'src_endpoint.port'",
    dest_port: "'dst_endpoint.port'",
    protocol_code: "'connection_info.protocol_num'",
    packets: "'traffic.packets'",
    bytes: "'traffic.bytes'",
    // ACCEPT / REJECT: 1.1's action_id when set, else the disposition (1 Allowed, 2 Blocked)
    vpcflow_action:
      'case(\'action_id\'==1, "ACCEPT", \'action_id\'==2, "REJECT", \'disposition_id\'==1, "ACCEPT", \'disposition_id\'==2, "REJECT")',
    log_status: "'status_code'",
    vpc_id: "coalesce('src_endpoint.vpc_uid', 'dst_endpoint.vpc_uid')",
    subnet_id: "coalesce('src_endpoint.subnet_uid', 'dst_endpoint.subnet_uid')",
    instance_id: "coalesce('src_endpoint.instance_uid', 'dst_endpoint.instance_uid')",
    tcp_flags: "'connection_info.tcp_flags'",
    region: "'cloud.region'",
    az_id: "'cloud.zone'",
    flow_direction: "'connection_info.direction'",
  },
  json: {},
  missing: {
    _raw: 'Security Lake keeps no raw flow-log line',
    start_time: 'Security Lake keeps the flow start as a timestamp (start_time_dt), not epoch seconds',
    end_time: 'Security Lake keeps the flow end as a timestamp (end_time_dt), not epoch seconds',
  },
};

/**
 * The add-on's search-time fields for aws:cloudwatchlogs:vpcflow, over its raw names: the action
 * and protocol lookups (ACCEPT → allowed, REJECT → blocked; IANA numbers → names) and the CIM
 * aliases ESCU's content reads (src_ip/dest_ip are extracted under those names already).
 */
export const AWS_CLOUDWATCHLOGS_VPCFLOW: SourceDef = {
  ...AWS_ASL_VPCFLOW,
  sourcetype: 'aws:cloudwatchlogs:vpcflow',
  description: 'VPC Flow Logs under the Splunk Add-on for AWS names, read from Security Lake (OCSF 1.1)',
  rawIdentity: identityOf(['interface_id', 'src_ip', 'dest_ip', 'src_port', 'dest_port', '_time']),
  derived: {
    action: 'case(vpcflow_action=="ACCEPT", "allowed", vpcflow_action=="REJECT", "blocked")',
    // the three protocols flow logs mostly carry; other numbers stay unnamed (null), not guessed
    protocol: 'case(protocol_code==1, "icmp", protocol_code==6, "tcp", protocol_code==17, "udp")',
    transport: 'protocol',
    src: 'src_ip',
    dest: 'dest_ip',
    dvc: 'interface_id',
    vendor_account: 'account_id',
    aws_account_id: 'account_id',
    vendor_region: 'region',
    vendor_product: '"AWS VPC Flow Logs"',
  },
  rawNames: VPCFLOW_ON_OCSF,
};
