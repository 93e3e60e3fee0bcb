/**
 * `hunt demo`: a deterministic synthetic AWS environment (CloudTrail and its Security Lake
 * OCSF view) with attacks planted for the shipped ECR detections, and the macro overrides
 * the demo runs them with.
 */
export { generateBulkCloudtrail, type BulkOptions } from './bulk.js';
export { DEFAULT_DEMO_SEED, generateDemoData, type DemoData, type DemoOptions } from './generate.js';
export { DEMO_MACROS } from './macros.js';
export { cloudtrailToOcsf } from './ocsf.js';
export { DEMO_DETECTIONS, type DemoScenario } from './scenarios.js';
export { EKS_SCAN } from './eks.js';
export { SECURITY_HUB_SPIKES } from './security-hub.js';
export { VPC_FLOW_SPIKE } from './vpc-flow.js';
