/**
 * The S3 client for imports. Everything is the SDK's own (default credential chain, region from
 * AWS_REGION or the profile, endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, standard
 * retry strategy: 3 attempts with backoff on throttling, 5xx and network errors) but two choices,
 * as in the Athena engine's clients:
 * - path-style addressing when S3 goes to a custom endpoint: virtual-hosted style puts the bucket
 *   in the host name, which only AWS's DNS resolves (S3-compatible stores and local stand-ins
 *   answer path-style);
 * - following S3's region redirect, so a bucket in another region than AWS_REGION still works.
 */
import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  region?: string;
  /** attempts per request, retries included (SDK default 3) */
  maxAttempts?: number;
  /** path-style addressing; default: on exactly when the environment sets a custom S3 endpoint */
  forcePathStyle?: boolean;
}

export function customS3Endpoint(env: NodeJS.ProcessEnv): boolean {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

export function makeImportS3Client(options: S3ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    forcePathStyle: options.forcePathStyle ?? customS3Endpoint(env),
    followRegionRedirects: true,
  });
}

/** S3's error code of a failed call (AccessDenied, NoSuchKey, NoSuchBucket, ...), or the error's name. */
export function s3ErrorCode(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { Code?: unknown; name?: unknown; code?: unknown };
    if (typeof o.Code === 'string') return o.Code;
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
    if (typeof o.code === 'string') return o.code;
  }
  return 'Error';
}

/** A one-line description of a failed S3 call: code and message. */
export function describeS3Error(e: unknown): string {
  const code = s3ErrorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  return message && message !== code && message !== 'UnknownError' ? `${code}: ${message}` : code;
}
