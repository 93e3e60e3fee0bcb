/**
 * The AWS SDK clients the engine makes when none are given. Everything but two choices is the
 * SDK's own: credentials from its default chain (env, AWS_PROFILE and ~/.aws files, SSO,
 * container and instance roles), the region from AthenaSettings.region or the SDK's chain
 * (AWS_REGION, the profile), endpoints from AWS_ENDPOINT_URL_ATHENA / AWS_ENDPOINT_URL_S3 /
 * AWS_ENDPOINT_URL or a profile's endpoint_url. The two choices:
 * - maxAttempts 1: the engine retries throttling itself (aws-call.ts), with its own bound, so
 *   the SDK's retries would only multiply attempts;
 * - S3 path-style addressing (`http://host/bucket/key`) when S3 goes to a custom endpoint:
 *   virtual-hosted style puts the bucket in the host name, which only AWS's own DNS resolves,
 *   and S3-compatible stores and local stand-ins answer path-style. See `s3PathStyle`.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { AthenaSettings } from './settings.js';

export function makeAthenaClient(settings: AthenaSettings): AthenaClient {
  return new AthenaClient({ ...(settings.region ? { region: settings.region } : {}), maxAttempts: 1 });
}

export function makeS3Client(settings: AthenaSettings, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    ...(settings.region ? { region: settings.region } : {}),
    maxAttempts: 1,
    forcePathStyle: s3PathStyle(settings, env),
    // a results bucket in another region than the API: follow S3's redirect instead of failing
    followRegionRedirects: true,
  });
}

/**
 * Path-style S3 addressing: `athena.s3ForcePathStyle` when configured, else on exactly when the
 * environment points S3 at a custom endpoint (AWS_ENDPOINT_URL_S3, or AWS_ENDPOINT_URL for all
 * services, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true). A custom endpoint set only in
 * a profile's `endpoint_url` needs `s3ForcePathStyle: true` in the configuration.
 */
export function s3PathStyle(settings: Pick<AthenaSettings, 's3ForcePathStyle'>, env: NodeJS.ProcessEnv): boolean {
  if (settings.s3ForcePathStyle !== undefined) return settings.s3ForcePathStyle;
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}
