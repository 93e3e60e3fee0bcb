/**
 * A local stand-in for the part of S3 hunt uses: GetObject (with Range), HeadObject and
 * ListObjectsV2, path-style (`http://127.0.0.1:PORT/bucket/key`), over real HTTP on a random
 * port, so tests drive the real @aws-sdk/client-s3 (pointed here with AWS_ENDPOINT_URL_S3).
 * Objects live in memory (or are generated on the fly, for large ones); the Athena stand-in
 * writes its result CSVs here. Every request is recorded; tests can inject failures (a status
 * for the next N GETs of a key, a body cut mid-stream) and read the GETs' peak concurrency.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  headers: IncomingMessage['headers'];
  /** the query string's parameters (list-type, prefix, delimiter, continuation-token, ...) */
  query: Record<string, string>;
}

interface StoredObject {
  size: number;
  etag: string;
  lastModified: Date;
  /** the bytes, or a generator of them for objects too large to keep */
  body: Buffer | ((start: number, end: number) => Iterable<Buffer>);
}

interface Failure {
  remaining: number;
  status: number;
  code: string;
  message: string;
}

export class S3Standin {
  readonly requests: S3Request[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private readonly denied = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  private readonly cuts = new Map<string, { remaining: number; after: number }>();
  private server: Server | undefined;
  /** bytes per write when serving a body: small values split multi-byte characters across chunks */
  chunkSize = 64 * 1024;
  /** milliseconds before each GET's answer: lets parallel downloads overlap measurably */
  getDelayMs = 0;
  /** GetObject requests being answered now, and the most seen at once since the last reset */
  activeGets = 0;
  maxActiveGets = 0;
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
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  put(uri: string, body: string | Buffer, lastModified = new Date(0)): void {
    const { bucket, key } = parseS3Uri(uri);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    this.objects.set(`${bucket}/${key}`, { size: bytes.length, etag, lastModified, body: bytes });
  }

  /**
   * An object of `size` bytes generated as it is served (a repeating pattern), never held in
   * memory: for streaming tests. Its ETag is `etag` (default derived from the size).
   */
  putGenerated(uri: string, size: number, etag = `"generated-${size}"`): void {
    const { bucket, key } = parseS3Uri(uri);
    const block = Buffer.alloc(64 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = 97 + (i % 26);
    function* body(start: number, end: number): Iterable<Buffer> {
      for (let at = start; at < end; ) {
        const from = at % block.length;
        const n = Math.min(block.length - from, end - at);
        yield Buffer.from(block.subarray(from, from + n));
        at += n;
      }
    }
    this.objects.set(`${bucket}/${key}`, { size, etag, lastModified: new Date(0), body });
  }

  get(uri: string): Buffer | undefined {
    const { bucket, key } = parseS3Uri(uri);
    const o = this.objects.get(`${bucket}/${key}`);
    return o && Buffer.isBuffer(o.body) ? o.body : undefined;
  }

  /** The ETag S3 would return for this object (quotes included). */
  etag(uri: string): string | undefined {
    const { bucket, key } = parseS3Uri(uri);
    return this.objects.get(`${bucket}/${key}`)?.etag;
  }

  /** Answer this object with 403 AccessDenied, as for a role without s3:GetObject on it. */
  deny(uri: string): void {
    const { bucket, key } = parseS3Uri(uri);
    this.denied.add(`${bucket}/${key}`);
  }

  /** Serve a denied object again. */
  allow(uri: string): void {
    const { bucket, key } = parseS3Uri(uri);
    this.denied.delete(`${bucket}/${key}`);
  }

  /** Answer the next `times` GETs of this object with an error (default 500 InternalError). */
  failGets(
    uri: string,
    times: number,
    status = 500,
    code = 'InternalError',
    message = 'We encountered an internal error.',
  ): void {
    const { bucket, key } = parseS3Uri(uri);
    this.failures.set(`${bucket}/${key}`, { remaining: times, status, code, message });
  }

  /** Cut the connection after `after` body bytes in the next `times` GETs of this object. */
  cutBody(uri: string, after: number, times = 1): void {
    const { bucket, key } = parseS3Uri(uri);
    this.cuts.set(`${bucket}/${key}`, { remaining: times, after });
  }

  /** The ListObjectsV2 requests seen, as `prefix|delimiter` (first pages only: one per listing). */
  listings(): string[] {
    return this.requests
      .filter((r) => r.method === 'GET' && r.query['list-type'] === '2' && !r.query['continuation-token'])
      .map((r) => `${r.query.prefix ?? ''}|${r.query.delimiter ?? ''}`);
  }

  /** How many GetObject requests this object has had. */
  gets(uri: string): number {
    const { bucket, key } = parseS3Uri(uri);
    return this.requests.filter((r) => r.method === 'GET' && r.bucket === bucket && r.key === key).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.objects.clear();
    this.denied.clear();
    this.failures.clear();
    this.cuts.clear();
    this.chunkSize = 64 * 1024;
    this.getDelayMs = 0;
    this.activeGets = 0;
    this.maxActiveGets = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const [bucketPart = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method, bucket, key, headers: req.headers, query });
    req.resume();
    const id = `${bucket}/${key}`;
    if (method !== 'GET' && method !== 'HEAD')
      return void error(res, 405, 'MethodNotAllowed', `${method} is not served by the stand-in`);
    if (bucket && !key && method === 'GET' && query['list-type'] === '2') return void this.list(res, bucket, query);
    if (!bucket || !key) return void error(res, 400, 'InvalidRequest', 'path-style /bucket/key expected');
    if (this.denied.has(id)) return void error(res, 403, 'AccessDenied', 'Access Denied');
    const failure = method === 'GET' ? this.failures.get(id) : undefined;
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      return void error(res, failure.status, failure.code, failure.message, key);
    }
    const object = this.objects.get(id);
    if (!object) return void error(res, 404, 'NoSuchKey', 'The specified key does not exist.', key);
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && ifMatch !== object.etag)
      return void error(
        res,
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      );
    if (method === 'HEAD') {
      res.writeHead(200, headers(object, object.size));
      return void res.end();
    }
    this.activeGets++;
    this.maxActiveGets = Math.max(this.maxActiveGets, this.activeGets);
    res.on('close', () => this.activeGets--);
    const answer = (): void => this.serve(req, res, id, object);
    if (this.getDelayMs > 0) setTimeout(answer, this.getDelayMs);
    else answer();
  }

  private serve(req: IncomingMessage, res: ServerResponse, id: string, object: StoredObject): void {
    let start = 0;
    let end = object.size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]) + 1, object.size) : object.size;
      if (start >= object.size) return void error(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
      res.writeHead(206, {
        ...headers(object, end - start),
        'content-range': `bytes ${start}-${end - 1}/${object.size}`,
      });
    } else res.writeHead(200, headers(object, object.size));
    const cut = this.cuts.get(id);
    let cutAt = Number.POSITIVE_INFINITY;
    if (cut && cut.remaining > 0) {
      cut.remaining--;
      cutAt = cut.after;
    }
    const chunks: Iterable<Buffer> = Buffer.isBuffer(object.body)
      ? slices(object.body.subarray(start, end), this.chunkSize)
      : object.body(start, end);
    const iterator = chunks[Symbol.iterator]();
    let sent = 0;
    // write with backpressure, so a generated 50 MB body is never queued in memory here either
    const pump = (): void => {
      for (;;) {
        const next = iterator.next();
        if (next.done) return void res.end();
        let chunk = next.value;
        if (sent + chunk.length > cutAt) {
          chunk = chunk.subarray(0, cutAt - sent);
          // end the connection a moment after the bytes (a FIN, not a reset that could drop them
          // unread; the pause lets the client store them): the body is shorter than its length
          res.write(chunk, () => setTimeout(() => res.socket?.end(), 50));
          return;
        }
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  }

  private list(res: ServerResponse, bucket: string, q: Record<string, string>): void {
    const keys = [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
    if (keys.length === 0) return void error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const prefix = q.prefix ?? '';
    const delimiter = q.delimiter ?? '';
    const maxKeys = Math.min(Number(q['max-keys'] ?? 1000), 1000);
    const token = q['continuation-token'];
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (q['start-after'] ?? '');
    const contents: string[] = [];
    const prefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (const key of keys) {
      if (!key.startsWith(prefix) || key <= after) continue;
      if (token && delimiter && after.endsWith(delimiter) && key.startsWith(after)) continue;
      const rest = key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      const entry = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : key;
      if (entry === last) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (cut >= 0) prefixes.push(entry);
      else contents.push(key);
      last = entry;
    }
    const urlEncode = q['encoding-type'] === 'url';
    const enc = (s: string): string => xmlText(urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${xmlText(bucket)}</Name><Prefix>${enc(prefix)}</Prefix>` +
      (q['start-after'] ? `<StartAfter>${enc(q['start-after'])}</StartAfter>` : '') +
      `<KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      (delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : '') +
      (urlEncode ? '<EncodingType>url</EncodingType>' : '') +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (token ? `<ContinuationToken>${xmlText(token)}</ContinuationToken>` : '') +
      (truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>` : '') +
      contents
        .map((key) => {
          const o = this.objects.get(`${bucket}/${key}`) as StoredObject;
          return (
            `<Contents><Key>${enc(key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
            `<ETag>${xmlText(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`
          );
        })
        .join('') +
      prefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('') +
      '</ListBucketResult>';
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
    res.end(body);
  }
}

function headers(o: StoredObject, length: number): Record<string, string> {
  return {
    'content-type': 'text/csv',
    'content-length': String(length),
    'accept-ranges': 'bytes',
    etag: o.etag,
    'last-modified': o.lastModified.toUTCString(),
    'x-amz-request-id': randomUUID(),
  };
}

function* slices(body: Buffer, size: number): Iterable<Buffer> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
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

const xmlText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
