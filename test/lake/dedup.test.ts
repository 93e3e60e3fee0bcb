import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, importRecords } from '../../src/lake/import.js';
import {
  count,
  ctEvent,
  ECR_EXAMPLES,
  filesUnder,
  ndjson,
  OCSF_SAMPLES,
  ocsfRecord,
  query,
  tempDirs,
  writeGzip,
  writeText,
} from './helpers.js';

const tmp = tempDirs();

describe('dedup', () => {
  it('imports the same files twice without duplicating anything', async () => {
    const lake = join(await tmp(), 'lake');
    const files = [ECR_EXAMPLES, ...OCSF_SAMPLES];
    const first = await importFiles(lake, files);
    expect(first.cloudtrail).toEqual({ added: 5, duplicates: 0 });
    expect(first.securityLake).toEqual({ added: 3, duplicates: 0 });
    const before = await filesUnder(lake);
    const second = await importFiles(lake, files);
    expect(second.cloudtrail).toEqual({ added: 0, duplicates: 5 });
    expect(second.securityLake).toEqual({ added: 0, duplicates: 3 });
    expect(second.filesWritten).toBe(0);
    expect(await filesUnder(lake)).toEqual(before);
    expect(await count(lake, 'cloudtrail')).toBe(5);
    expect(await count(lake, 'security_lake_cloud_trail_mgmt_2_0')).toBe(3);
  });

  it('recognises the same events whatever format they arrive in', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const events = [ctEvent(), ctEvent(), ctEvent()];
    // pretty-printed: the staged text differs from NDJSON's, the records do not
    await importFiles(lake, [await writeGzip(dir, 'a.json.gz', JSON.stringify({ Records: events }, null, 2))]);
    const again = await importFiles(lake, [
      await writeText(dir, 'b.ndjson', ndjson([...events, ctEvent({ eventName: 'New' })])),
    ]);
    expect(again.cloudtrail).toEqual({ added: 1, duplicates: 3 });
    expect(again.files[0]).toMatchObject({ added: 1, duplicates: 3, conflicts: 0 });
    expect(await count(lake, 'cloudtrail')).toBe(4);
  });

  it('keeps one of the records repeated within a single import', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const a = ctEvent({ eventName: 'First' });
    const o = ocsfRecord();
    const f1 = await writeText(dir, 'one.ndjson', ndjson([a, a, o]));
    const f2 = await writeText(dir, 'two.json', JSON.stringify({ Records: [a, { ...a, eventName: 'Changed' }] }));
    const f3 = await writeText(dir, 'three.ndjson', ndjson([a, a, o]));
    // the same path twice is read once
    const summary = await importFiles(lake, [f1, f2, f3, f1]);
    expect(summary.files.map((f) => f.file)).toEqual([f1, f2, f3]);
    expect(summary.cloudtrail).toEqual({ added: 1, duplicates: 5 });
    expect(summary.securityLake).toEqual({ added: 1, duplicates: 1 });
    // per file: the changed record is a conflicting duplicate, the exact repeats are not
    expect(summary.files.map((f) => [f.added, f.duplicates, f.conflicts])).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [0, 3, 0],
    ]);
    // the first occurrence wins
    expect(await query(lake, 'SELECT eventname FROM cloudtrail')).toEqual([{ eventname: 'First' }]);
  });

  it('dedups records without ids by a hash of their canonical form', async () => {
    const lake = join(await tmp(), 'lake');
    const noId = ctEvent({ eventID: undefined, eventName: 'NoId' });
    const reordered = Object.fromEntries(Object.entries(noId).reverse());
    const ocsfNoUid = ocsfRecord({ metadata: { product: { name: 'CloudTrail' }, version: '1.1.0' } });
    const first = await importRecords(lake, { cloudtrail: [noId], ocsf: [ocsfNoUid] });
    expect(first.cloudtrail.added).toBe(1);
    const second = await importRecords(lake, {
      cloudtrail: [reordered, { ...noId, eventName: 'OtherNoId' }],
      ocsf: [Object.fromEntries(Object.entries(ocsfNoUid).reverse())],
    });
    expect(second.cloudtrail).toEqual({ added: 1, duplicates: 1 });
    expect(second.securityLake).toEqual({ added: 0, duplicates: 1 });
    const rows = await query(lake, 'SELECT eventid, eventname FROM cloudtrail ORDER BY eventname');
    expect(rows).toEqual([
      { eventid: null, eventname: 'NoId' },
      { eventid: null, eventname: 'OtherNoId' },
    ]);
  });

  it('completes an import interrupted between renames without duplicating what got through', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const days = [1, 2, 3, 4].map((d) => ctEvent({ eventTime: `2024-05-0${d}T12:00:00Z` }));
    const file = await writeText(dir, 'days.json', JSON.stringify({ Records: days }));
    await importFiles(lake, [file]);
    const files = await filesUnder(join(lake, 'cloudtrail'));
    expect(files).toHaveLength(4);
    // As if the process died after renaming only the first two files into place.
    await rm(join(lake, 'cloudtrail', files[2]!));
    await rm(join(lake, 'cloudtrail', files[3]!));
    const rerun = await importFiles(lake, [file]);
    expect(rerun.cloudtrail).toEqual({ added: 2, duplicates: 2 });
    expect(await count(lake, 'cloudtrail')).toBe(4);
    const ids = await query(lake, 'SELECT count(DISTINCT eventid) AS n FROM cloudtrail');
    expect(ids).toEqual([{ n: '4' }]);
  });

  it('adds new files beside existing ones and never rewrites them', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
    const [existing] = await filesUnder(lake);
    await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
    const after = await filesUnder(lake);
    expect(after).toHaveLength(2);
    expect(after).toContain(existing);
    expect(await count(lake, 'cloudtrail')).toBe(2);
  });
});
