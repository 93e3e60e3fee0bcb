/**
 * Child process of the killed-import tests: imports the paths and s3:// URLs given after the
 * lake directory in small batches, so inputs are committed in several steps, and prints the
 * summary's counts when done. Run with `node --import tsx` (S3 from AWS_ENDPOINT_URL_S3).
 * Arguments: LAKE BATCH_BYTES PATH...
 */
import { importSources } from '../../src/lake/import.js';

const [lake, batch, ...paths] = process.argv.slice(2);
if (!lake || !batch || paths.length === 0) throw new Error('usage: import-child LAKE BATCH_BYTES PATH...');
const summary = await importSources(lake, paths, { batchBytes: Number(batch), s3: { filter: {}, concurrency: 2 } });
process.stdout.write(`${JSON.stringify({ added: summary.cloudtrail.added + summary.securityLake.added })}\n`);
