/**
 * `s3://bucket/prefix` as given on the command line. The prefix is read as a folder: a trailing
 * `/` is added when missing, so `s3://b/AWSLogs` does not also match `AWSLogs-old/`.
 */
export interface S3Location {
  bucket: string;
  /** '' (the whole bucket) or a folder ending in '/' */
  prefix: string;
}

/** A bad s3:// argument; `argument` names the flag or position it came from. */
export class S3UrlError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
    this.name = 'S3UrlError';
  }
}

// S3's bucket naming rules (general purpose buckets): 3-63 characters, lower-case letters,
// digits, dots and hyphens, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parse `s3://bucket[/prefix]`; `argument` is used in error messages (e.g. '--from'). */
export function parseS3Url(text: string, argument = 'S3 URL'): S3Location {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(text);
  if (!m) throw new S3UrlError(argument, `expected s3://bucket/prefix, got ${JSON.stringify(text)}`);
  const bucket = m[1] ?? '';
  if (bucket === '') throw new S3UrlError(argument, `no bucket name in ${JSON.stringify(text)}`);
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    throw new S3UrlError(argument, `${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  let prefix = m[2] ?? '';
  if (prefix.startsWith('/') || prefix.includes('//'))
    throw new S3UrlError(argument, `empty path segment in ${JSON.stringify(text)}`);
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { bucket, prefix };
}

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;
