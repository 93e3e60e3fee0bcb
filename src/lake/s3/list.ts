/**
 * List the objects an import needs: walk the bucket level by level as prefixes.ts plans it,
 * with delimited ListObjectsV2 calls for the levels it must discover and recursive listings for
 * the leaf folders, several requests at a time. Never lists the whole bucket unless the prefix
 * is an unrecognised folder the user named (and never the root of an unrecognised bucket).
 */
import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error } from './client.js';
import {
  classify,
  expand,
  keepKey,
  type ListFilter,
  type Node,
  planFilter,
  rootNode,
  S3PlanError,
  unknownSourceFolders,
} from './prefixes.js';
import { s3Uri, type S3Location } from './url.js';

export interface S3ObjectInfo {
  bucket: string;
  key: string;
  /** as S3 returns it, quotes included: what the ledger compares */
  etag: string;
  size: number;
  lastModified: Date;
}

export interface ListOptions {
  filter?: ListFilter;
  /** the end of a range given only `since` (default: the current time) */
  now?: Date;
  /** list requests in flight at once (default 8) */
  concurrency?: number;
  signal?: AbortSignal;
  /** folders of Security Lake sources hunt has no table for, found beside known ones and not listed */
  onUnknownSources?: (prefixes: string[]) => void;
}

/** A listing that failed (no access, no such bucket): names the s3:// prefix and S3's error. */
export class S3ListError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3ListError';
  }
}

interface Page {
  folders: string[];
  objects: S3ObjectInfo[];
}

async function listPages(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimited: boolean,
  signal: AbortSignal | undefined,
): Promise<Page> {
  const out: Page = { folders: [], objects: [] };
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(delimited ? { Delimiter: '/' } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (e) {
      throw new S3ListError(`cannot list ${s3Uri(bucket, prefix)}: ${describeS3Error(e)}`, { cause: e });
    }
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.folders.push(p.Prefix);
    for (const o of page.Contents ?? [])
      if (o.Key !== undefined)
        out.objects.push({
          bucket,
          key: o.Key,
          etag: o.ETag ?? '',
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0),
        });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * The objects under `location` that the filter needs, in key order. Throws S3PlanError for a
 * bad filter or an unrecognised bucket root, S3ListError when S3 refuses a listing.
 */
export async function listS3Objects(
  client: S3Client,
  location: S3Location,
  options: ListOptions = {},
): Promise<S3ObjectInfo[]> {
  const { bucket } = location;
  const f = planFilter(options.filter ?? {}, options.now ?? new Date());
  const root = rootNode(location.prefix, f);
  const found = new Map<string, S3ObjectInfo>();
  let recognised = root.level !== 'unknown';

  const visit = async (node: Node): Promise<Node[]> => {
    if (node.level === 'leaf') {
      const { objects } = await listPages(client, bucket, node.prefix, false, options.signal);
      for (const o of objects) if (keepKey(node, o.key)) found.set(o.key, o);
      return [];
    }
    const step = expand(node, f);
    if (step.kind === 'children') return step.nodes;
    const { folders } = await listPages(client, bucket, node.prefix, true, options.signal);
    const next = classify(node, folders, f);
    const unknown = unknownSourceFolders(node, folders);
    if (unknown.length > 0) options.onUnknownSources?.(unknown);
    if (next.some((n) => n.level !== 'unknown')) recognised = true;
    return next;
  };
  await runQueue([root], visit, Math.max(1, options.concurrency ?? 8));

  if (!recognised) {
    if (location.prefix === '')
      throw new S3PlanError(
        `${s3Uri(bucket, '')}: found neither CloudTrail logs (AWSLogs/) nor a Security Lake layout at the top of ` +
          `the bucket; name the folder to import (s3://${bucket}/some/prefix/)`,
      );
    // a folder of another layout: the user asked for it, read all of it
    await visit({ level: 'leaf', prefix: location.prefix, layout: 'other' });
  }
  return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Process a growing work list with at most `limit` tasks at once; the first failure stops it. */
async function runQueue<T>(initial: T[], work: (item: T) => Promise<T[]>, limit: number): Promise<void> {
  const queue = [...initial];
  let active = 0;
  let failed: unknown;
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (failed !== undefined) return;
      if (queue.length === 0 && active === 0) {
        resolve();
        return;
      }
      while (active < limit && queue.length > 0) {
        const item = queue.shift() as T;
        active++;
        work(item).then(
          (more) => {
            active--;
            queue.push(...more);
            pump();
          },
          (e: unknown) => {
            failed = e ?? new Error('listing failed');
            reject(e);
          },
        );
      }
    };
    pump();
  });
}
