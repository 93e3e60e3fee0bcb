import { defineSource } from '../source.js';
import type { SourceDef } from '../sourcetype.js';
import { securityLakeAthenaOf } from '../security-lake-class/athena.js';
import { isDataEventOf } from './classes.js';
import { AWS_ASL, AWS_ASL_V1 } from './fields.js';
import { cloudTrailOcsfLake } from './lake.js';

/**
 * Security Lake's tables of CloudTrail data events (AWS_FACTS.md): S3 object-level calls in
 * `s3_data`, Lambda invocations in `lambda_execution`, each an API Activity table of the
 * management table's shape. Their own sourcetypes read one table each; CloudTrail detections
 * on Security Lake read them with the management table (cross-source.ts).
 */

const dataSourcetype = (sourcetype: string, what: string): SourceDef => ({
  ...AWS_ASL,
  sourcetype,
  description: `Amazon Security Lake CloudTrail ${what} data events (OCSF 1.1)`,
});

export const AWS_ASL_S3_DATA = dataSourcetype('aws:asl:s3_data', 'S3');
export const AWS_ASL_LAMBDA_EXECUTION = dataSourcetype('aws:asl:lambda_execution', 'Lambda');

// built outside defineSource: inferred there, the table id would widen to string
const s3Lake = cloudTrailOcsfLake({
  id: 'securityLakeS3Data',
  title: 'security lake s3 data',
  view: 'security_lake_s3_data_2_0',
  dir: 'security_lake/s3_data_2_0',
  folder: 'S3_DATA',
  takes: isDataEventOf('s3.amazonaws.com'),
  takesKeys: ['api'],
  prefix: 'hunt_sl_s3',
});
const lambdaLake = cloudTrailOcsfLake({
  id: 'securityLakeLambdaExecution',
  title: 'security lake lambda execution',
  view: 'security_lake_lambda_execution_2_0',
  dir: 'security_lake/lambda_execution_2_0',
  folder: 'LAMBDA_EXECUTION',
  takes: isDataEventOf('lambda.amazonaws.com'),
  takesKeys: ['api'],
  prefix: 'hunt_sl_lambda',
});

export const securityLakeS3Data = defineSource({
  name: 'security-lake-s3-data',
  sourcetypes: [AWS_ASL_S3_DATA],
  lake: s3Lake,
  athena: securityLakeAthenaOf({
    configKey: 'security_lake_s3_data',
    stem: 's3_data',
    sourcetypes: [{ sourcetype: AWS_ASL_S3_DATA.sourcetype, v1: AWS_ASL_V1 }],
  }),
});

export const securityLakeLambdaExecution = defineSource({
  name: 'security-lake-lambda-execution',
  sourcetypes: [AWS_ASL_LAMBDA_EXECUTION],
  lake: lambdaLake,
  athena: securityLakeAthenaOf({
    configKey: 'security_lake_lambda_execution',
    stem: 'lambda_execution',
    sourcetypes: [{ sourcetype: AWS_ASL_LAMBDA_EXECUTION.sourcetype, v1: AWS_ASL_V1 }],
  }),
});
