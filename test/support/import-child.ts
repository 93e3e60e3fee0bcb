/**
 * Child process of test/lake/killed-import.test.ts: imports the paths given after the lake
 * directory in small batches, so a big file is committed in several steps, and prints the
 * summary's counts when done. Run with `node --import tsx`.
 * Arguments: LAKE BATCH_BYTES PATH...
 */
import { importFiles } from '../../src/lake/import.js';

const [lake, batch, ...paths] = process.argv.slice(2);
if (!lake || !batch || paths.length === 0) throw new Error('usage: import-child LAKE BATCH_BYTES PATH...');
const summary = await importFiles(lake, paths, { batchBytes: Number(batch) });
process.stdout.write(`${JSON.stringify({ added: summary.cloudtrail.added })}\n`);
