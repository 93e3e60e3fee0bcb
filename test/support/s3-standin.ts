/**
 * A local stand-in for the part of S3 the Athena engine uses: GetObject and HeadObject,
 * path-style (`http://127.0.0.1:PORT/bucket/key`), over real HTTP on a random port, so tests
 * drive the real @aws-sdk/client-s3 (pointed here with AWS_ENDPOINT_URL_S3). Objects live in
 * memory; the Athena stand-in writes its result CSVs here. Every request is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  headers: IncomingMessage['headers'];
}

export class S3Standin {
  readonly requests: S3Request[] = [];
  private readonly objects = new Map<string, Buffer>();
  private readonly denied = new Set<string>();
  private server: Server | undefined;
  /** bytes per write when serving a body: small values split multi-byte characters across chunks */
  chunkSize = 64 * 1024;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  put(uri: string, body: string | Buffer): void {
    const { bucket, key } = parseS3Uri(uri);
    this.objects.set(`${bucket}/${key}`, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  }

  get(uri: string): Buffer | undefined {
    const { bucket, key } = parseS3Uri(uri);
    return this.objects.get(`${bucket}/${key}`);
  }

  /** Answer this object with 403 AccessDenied, as for a role without s3:GetObject on it. */
  deny(uri: string): void {
    const { bucket, key } = parseS3Uri(uri);
    this.denied.add(`${bucket}/${key}`);
  }

  reset(): void {
    this.requests.length = 0;
    this.objects.clear();
    this.denied.clear();
    this.chunkSize = 64 * 1024;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const [bucketPart = '', ...keyParts] = path.slice(1).split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    this.requests.push({ method, bucket, key, headers: req.headers });
    req.resume();
    const id = `${bucket}/${key}`;
    if (method !== 'GET' && method !== 'HEAD')
      return void error(res, 405, 'MethodNotAllowed', `${method} is not served by the stand-in`);
    if (!bucket || !key) return void error(res, 400, 'InvalidRequest', 'path-style /bucket/key expected');
    if (this.denied.has(id)) return void error(res, 403, 'AccessDenied', 'Access Denied');
    const body = this.objects.get(id);
    if (!body) return void error(res, 404, 'NoSuchKey', 'The specified key does not exist.', key);
    res.writeHead(200, {
      'content-type': 'text/csv',
      'content-length': String(body.length),
      etag: `"${body.length}-${id.length}"`,
      'last-modified': new Date(0).toUTCString(),
      'x-amz-request-id': randomUUID(),
    });
    if (method === 'HEAD') return void res.end();
    for (let i = 0; i < body.length; i += this.chunkSize) res.write(body.subarray(i, i + this.chunkSize));
    res.end();
  }
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not an s3://bucket/key URI: ${uri}`);
  return { bucket: m[1] as string, key: m[2] as string };
}

function error(res: ServerResponse, status: number, code: string, message: string, key?: string): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message>` +
    `${key ? `<Key>${xmlText(key)}</Key>` : ''}<RequestId>${randomUUID()}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
  res.end(xml);
}

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
