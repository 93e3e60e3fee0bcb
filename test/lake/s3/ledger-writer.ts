/**
 * Child process of ledger.test.ts: records batches into the ledger of the lake given as
 * argument, without end, printing "recording" after the first batch; the test SIGKILLs it.
 * Run with `node --import tsx`.
 */
import { S3Ledger } from '../../../src/lake/s3/ledger.js';

const lake = process.argv[2];
if (!lake) throw new Error('usage: ledger-writer <lake dir>');
const ledger = await S3Ledger.load(lake);
const pad = 'x'.repeat(400);
for (let batch = 0; ; batch++) {
  const objects = Array.from({ length: 500 }, (_, i) => ({
    bucket: 'b',
    key: `AWSLogs/${batch}/${i}/${pad}.json.gz`,
    etag: `"${batch}-${i}"`,
    size: i,
  }));
  await ledger.record(objects);
  if (batch === 0) process.stdout.write('recording\n');
}
