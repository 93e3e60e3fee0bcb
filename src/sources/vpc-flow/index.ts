import { securityLakeClassSource } from '../security-lake-class/define.js';
import { AWS_ASL_VPCFLOW, AWS_CLOUDWATCHLOGS_VPCFLOW } from './fields.js';
import { VPC_FLOW_RC2, vpcFlowTable, vpcFlowV1Table } from './tables.js';

/**
 * Amazon Security Lake VPC Flow Logs (OCSF Network Activity, 4001): `aws:asl:vpcflow` under the
 * OCSF names, and the add-on's `aws:cloudwatchlogs:vpcflow` (ESCU's VPC Flow content) on the
 * same table. Configuration: `sources.security_lake_vpc_flow`.
 */
export const vpcFlow = securityLakeClassSource({
  name: 'vpc-flow',
  id: 'vpcFlow',
  title: 'vpc flow',
  stem: 'vpc_flow',
  folder: 'VPC_FLOW',
  classUids: [4001],
  product: { contains: 'vpc' },
  v2: vpcFlowTable,
  v1: { schema: vpcFlowV1Table, rc2: VPC_FLOW_RC2 },
  configKey: 'security_lake_vpc_flow',
  sourcetypes: [AWS_ASL_VPCFLOW, AWS_CLOUDWATCHLOGS_VPCFLOW],
});
