/**
 * How hunt talks to Athena: the settings the athena engine needs, as read from configuration
 * (`athena:` in config/hunt.yaml). Credentials, profile and endpoints follow the AWS SDK's own
 * chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_ATHENA / _S3, ...), never this file.
 */
export interface AthenaSettings {
  /** AWS region of the Athena API; default: the SDK's (AWS_REGION, profile) */
  region?: string;
  /** workgroup to run in (default `primary`) */
  workgroup: string;
  /** QueryExecutionContext.Catalog (default `AwsDataCatalog`) */
  catalog: string;
  /** QueryExecutionContext.Database, when the SQL's table names are not fully qualified */
  database?: string;
  /** ResultConfiguration.OutputLocation, s3://bucket/prefix/ (a workgroup may enforce its own) */
  outputLocation?: string;
  /** reuse results of an identical query up to this many minutes old (0: never) */
  resultReuseMinutes: number;
  /** give up on (and stop) a query running longer than this */
  queryTimeoutMs: number;
  /** above this many result rows, read the result CSV from S3 instead of GetQueryResults pages */
  s3ResultRows: number;
  /**
   * S3 path-style addressing for reading result CSVs. Default: on exactly when
   * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL points S3 at a custom endpoint (a stand-in, MinIO,
   * LocalStack), off for AWS itself (see clients.ts).
   */
  s3ForcePathStyle?: boolean;
}

export const ATHENA_DEFAULTS: AthenaSettings = {
  workgroup: 'primary',
  catalog: 'AwsDataCatalog',
  resultReuseMinutes: 0,
  queryTimeoutMs: 30 * 60 * 1000,
  s3ResultRows: 5000,
};
