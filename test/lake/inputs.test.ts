import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importExitCode, importFiles } from '../../src/lake/import.js';
import { count, ctEvent, ndjson, ocsfRecord, query, tempDirs, writeGzip, writeText } from './helpers.js';

const tmp = tempDirs();

/** A CloudTrail digest file's shape (AWS CloudTrail User Guide, "CloudTrail digest file structure"). */
function digest(): object {
  return {
    awsAccountId: '111122223333',
    digestStartTime: '2024-03-01T10:00:00Z',
    digestEndTime: '2024-03-01T11:00:00Z',
    digestS3Bucket: 'trail-bucket',
    digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/x.json.gz',
    digestPublicKeyFingerprint: 'abc',
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: '2024-03-01T10:59:00Z',
    oldestEventTime: '2024-03-01T10:00:00Z',
    previousDigestS3Bucket: null,
    previousDigestS3Object: null,
    previousDigestHashValue: null,
    previousDigestHashAlgorithm: null,
    previousDigestSignature: null,
    logFiles: [],
  };
}

const CT_EVENTS_VIEW = 'cloudtrail';
const OCSF_VIEW = 'security_lake_cloud_trail_mgmt_2_0';

describe('inputs', () => {
  it('counts each file’s records for that file, with an empty file between them', async () => {
    const dir = await tmp();
    const a = await writeText(dir, 'a.ndjson', ndjson([ctEvent(), ctEvent()]));
    const empty = await writeText(dir, 'empty.json', '');
    const blank = await writeText(dir, 'blank.json', '\n  \n');
    const b = await writeGzip(dir, 'b.json.gz', JSON.stringify({ Records: [ctEvent(), ctEvent(), ctEvent()] }));
    const c = await writeText(dir, 'c.ndjson', ndjson([ocsfRecord()]));
    const summary = await importFiles(join(dir, 'lake'), [a, empty, b, blank, c]);
    expect(summary.files.map((f) => [f.kind, f.records, f.added])).toEqual([
      ['cloudtrail', 2, 2],
      ['empty', 0, 0],
      ['cloudtrail', 3, 3],
      ['empty', 0, 0],
      ['ocsf', 1, 1],
    ]);
    expect(importExitCode(summary.files)).toBe(0);
  });

  it('walks directories recursively for log files, skipping hidden entries and symlink loops', async () => {
    const dir = await tmp();
    const root = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '03');
    await mkdir(join(root, '01'), { recursive: true });
    await mkdir(join(root, '02'), { recursive: true });
    await mkdir(join(dir, 'AWSLogs', '.hidden'), { recursive: true });
    await writeGzip(join(root, '01'), 'x_CloudTrail_us-east-1_1.json.gz', JSON.stringify({ Records: [ctEvent()] }));
    await writeText(join(root, '02'), 'y.json', JSON.stringify({ Records: [ctEvent(), ctEvent()] }));
    await writeText(join(root, '02'), 'z.jsonl', ndjson([ocsfRecord()]));
    await writeText(join(root, '02'), 'notes.txt', 'not a log');
    await writeText(join(dir, 'AWSLogs', '.hidden'), 'h.json', JSON.stringify({ Records: [ctEvent()] }));
    await symlink(join(dir, 'AWSLogs'), join(root, 'loop'));
    const summary = await importFiles(join(dir, 'lake'), [join(dir, 'AWSLogs')]);
    expect(summary.files.map((f) => f.file.slice(root.length + 1))).toEqual([
      '01/x_CloudTrail_us-east-1_1.json.gz',
      '02/y.json',
      '02/z.jsonl',
    ]);
    expect(await count(join(dir, 'lake'), CT_EVENTS_VIEW)).toBe(3);
    expect(await count(join(dir, 'lake'), OCSF_VIEW)).toBe(1);
  });

  it('skips CloudTrail digest files by name and by content, and counts them', async () => {
    const dir = await tmp();
    const digestDir = join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-east-1', '2024', '03', '01');
    await mkdir(digestDir, { recursive: true });
    const byName = await writeGzip(
      digestDir,
      '111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240301T110000Z.json.gz',
      'not even JSON: never read',
    );
    const byContent = await writeText(dir, 'renamed.json', JSON.stringify(digest()));
    const log = await writeText(dir, 'log.json', JSON.stringify({ Records: [ctEvent()] }));
    const summary = await importFiles(join(dir, 'lake'), [byName, byContent, log]);
    expect(summary.files.map((f) => [f.kind, f.records, f.skipped])).toEqual([
      ['digest', 0, 0],
      ['digest', 0, 0],
      ['cloudtrail', 1, 0],
    ]);
    expect(importExitCode(summary.files)).toBe(0);
  });

  it('imports a mixed batch: good files, a digest, an empty file, a truncated gzip and a tree', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const good = await writeText(dir, 'good.json', JSON.stringify({ Records: [ctEvent(), ctEvent()] }));
    const dig = await writeText(dir, 'digest.json', JSON.stringify(digest()));
    const empty = await writeText(dir, 'empty.json.gz', '');
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: Array.from({ length: 300 }, () => ctEvent()) })));
    const truncated = join(dir, 'truncated.json.gz');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'a', 'b'), { recursive: true });
    await writeText(join(tree, 'a'), 'one.jsonl', ndjson([ctEvent(), ocsfRecord()]));
    await writeGzip(join(tree, 'a', 'b'), 'two.log.gz', ndjson([ctEvent({ eventTime: 'garbage' }), ctEvent()]));
    const summary = await importFiles(lake, [good, dig, empty, truncated, tree]);
    expect(summary.files.map((f) => [f.file.slice(dir.length + 1), f.kind, f.added, f.skipped])).toEqual([
      ['good.json', 'cloudtrail', 2, 0],
      ['digest.json', 'digest', 0, 0],
      ['empty.json.gz', 'empty', 0, 0],
      ['truncated.json.gz', 'error', 0, 0],
      ['tree/a/b/two.log.gz', 'cloudtrail', 1, 1],
      ['tree/a/one.jsonl', 'mixed', 2, 0],
    ]);
    expect(summary.files[3]?.error).toMatch(/truncated\.json\.gz: corrupt or truncated gzip/);
    expect(summary.files[4]?.problems).toEqual(['line 1: eventTime "garbage" is not an ISO 8601 time']);
    expect(importExitCode(summary.files)).toBe(1);
    expect(await count(lake, CT_EVENTS_VIEW)).toBe(4);
    expect(await count(lake, OCSF_VIEW)).toBe(1);
  });

  it('reads a file bigger than a batch in several commits, with the same result and positions', async () => {
    const dir = await tmp();
    // records are handed over in chunks of ~4 MiB: enough of them to make several
    const events = Array.from({ length: 12_000 }, (_, i) =>
      i === 6_250 ? ctEvent({ eventTime: 'late-bad' }) : ctEvent({ eventName: `E${i}` }),
    );
    const records = await writeGzip(dir, 'big.json.gz', JSON.stringify({ Records: events }));
    const lines = await writeText(dir, 'big.ndjson', ndjson(events));
    const small = await importFiles(join(dir, 'small-batches'), [records], { batchBytes: 1024 * 1024 });
    const one = await importFiles(join(dir, 'one-batch'), [records]);
    expect(small.filesWritten).toBeGreaterThan(one.filesWritten);
    for (const s of [small, one]) {
      expect(s.files[0]).toMatchObject({ kind: 'cloudtrail', added: 11_999, skipped: 1 });
      expect(s.files[0]?.problems).toEqual(['record 6251: eventTime "late-bad" is not an ISO 8601 time']);
    }
    const names = 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY ALL ORDER BY eventname';
    expect(await query(join(dir, 'small-batches'), names)).toEqual(await query(join(dir, 'one-batch'), names));
    // NDJSON too, streamed line by line; a re-import in small batches finds everything present
    const again = await importFiles(join(dir, 'small-batches'), [lines], { batchBytes: 1024 * 1024 });
    expect(again.files[0]).toMatchObject({ added: 0, duplicates: 11_999, conflicts: 0, skipped: 1 });
    expect(again.files[0]?.problems).toEqual(['line 6251: eventTime "late-bad" is not an ISO 8601 time']);
  });

  it('reports a record whose id is known with other content as a conflicting duplicate, keeping the first', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const a = ctEvent({ eventName: 'Original' });
    const o = ocsfRecord();
    await importFiles(lake, [await writeText(dir, 'first.ndjson', ndjson([a, o]))]);
    const changed = { ...a, eventName: 'Tampered' };
    const changedOcsf = { ...o, status: 'Changed' };
    const second = await importFiles(lake, [
      await writeText(dir, 'second.ndjson', ndjson([a, changed, o, changedOcsf, ctEvent()])),
    ]);
    expect(second.files[0]).toMatchObject({ added: 1, duplicates: 4, conflicts: 2 });
    expect(await query(lake, `SELECT eventname FROM cloudtrail WHERE eventid = '${String(a.eventID)}'`)).toEqual([
      { eventname: 'Original' },
    ]);
  });

  it('fails a file that cannot be read part way, keeping nothing of it, in a batch of others', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const events = Array.from({ length: 300 }, () => ctEvent());
    const gz = gzipSync(Buffer.from(ndjson(events)));
    const cut = join(dir, 'cut.ndjson.gz');
    await writeFile(cut, gz.subarray(0, gz.length - 40));
    const before = await writeText(dir, 'before.json', JSON.stringify({ Records: [ctEvent()] }));
    const after = await writeText(dir, 'after.json', JSON.stringify({ Records: [ctEvent()] }));
    const summary = await importFiles(lake, [before, cut, after]);
    expect(summary.files.map((f) => f.kind)).toEqual(['cloudtrail', 'error', 'cloudtrail']);
    expect(await count(lake, CT_EVENTS_VIEW)).toBe(2);
  });
});
