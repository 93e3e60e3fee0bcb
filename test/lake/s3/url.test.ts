import { describe, expect, it } from 'vitest';
import { parseS3Url, S3UrlError } from '../../../src/lake/s3/url.js';

describe('parseS3Url', () => {
  it('reads a bucket and a folder prefix', () => {
    expect(parseS3Url('s3://my-trail/AWSLogs/')).toEqual({ bucket: 'my-trail', prefix: 'AWSLogs/' });
    expect(parseS3Url('s3://my-trail/a/b')).toEqual({ bucket: 'my-trail', prefix: 'a/b/' });
    expect(parseS3Url('s3://my-trail')).toEqual({ bucket: 'my-trail', prefix: '' });
    expect(parseS3Url('s3://my-trail/')).toEqual({ bucket: 'my-trail', prefix: '' });
    expect(parseS3Url('s3://logs.example.com/x y/')).toEqual({ bucket: 'logs.example.com', prefix: 'x y/' });
  });

  it('names the argument in its errors', () => {
    expect(() => parseS3Url('/tmp/x', '--from')).toThrow(S3UrlError);
    expect(() => parseS3Url('/tmp/x', '--from')).toThrow(/^--from: expected s3:\/\/bucket\/prefix, got "\/tmp\/x"$/);
    expect(() => parseS3Url('S3://b/x', 'input')).toThrow(/^input: expected s3:\/\//);
    expect(() => parseS3Url('s3:///x', 'input')).toThrow(/^input: no bucket name/);
    expect(() => parseS3Url('s3://My_Bucket/x', 'input')).toThrow(/^input: "My_Bucket" is not a valid S3 bucket name$/);
    expect(() => parseS3Url('s3://ab/x', 'input')).toThrow(/not a valid S3 bucket name/);
    expect(() => parseS3Url('s3://a..b/x', 'input')).toThrow(/not a valid S3 bucket name/);
    expect(() => parseS3Url('s3://bucket//x', 'input')).toThrow(/^input: empty path segment/);
  });
});
