/**
 * Import from S3: parse the s3:// argument (url.ts), list only the objects a filter needs
 * (prefixes.ts plans, list.ts walks), skip those the lake has (ledger.ts), download the rest to
 * a spool in parallel (download.ts), and show progress (progress.ts).
 */
export { customS3Endpoint, describeS3Error, makeImportS3Client, s3ErrorCode, type S3ClientOptions } from './client.js';
export {
  DEFAULT_DOWNLOAD_CONCURRENCY,
  DEFAULT_MAX_SPOOL_BYTES,
  type DownloadOptions,
  type DownloadResult,
  downloadObjects,
  S3Downloader,
} from './download.js';
export { LEDGER_FILE, type LedgerEntry, type LedgerObject, S3Ledger } from './ledger.js';
export { type ListOptions, listS3Objects, S3ListError, type S3ObjectInfo } from './list.js';
export { type ListFilter, S3PlanError } from './prefixes.js';
export { formatBytes, ProgressWriter, type ProgressState, progressText, renderProgress } from './progress.js';
export { parseS3Url, type S3Location, S3UrlError, s3Uri } from './url.js';
