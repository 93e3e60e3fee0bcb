/**
 * Points the AWS SDK's standard environment at local stand-ins: the given endpoint variables,
 * throwaway credentials, a region, and no profile files or instance metadata, so nothing of the
 * machine's own AWS setup is read. Returns a function that restores the environment as it was.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AWS_VARS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_ATHENA',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_EC2_METADATA_DISABLED',
];

/** `endpoints`: e.g. `{ AWS_ENDPOINT_URL_S3: s3.url }`. */
export function pointAwsAt(endpoints: Record<string, string>): () => void {
  const saved = Object.fromEntries(AWS_VARS.map((k) => [k, process.env[k]]));
  for (const k of AWS_VARS) delete process.env[k];
  const nowhere = join(tmpdir(), 'hunt-no-aws-config-here');
  Object.assign(process.env, {
    ...endpoints,
    AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'standin-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return () => {
    for (const k of AWS_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
