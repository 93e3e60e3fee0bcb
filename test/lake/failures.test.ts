import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importExitCode, importFiles, importRecords, LakeImportError, MAX_PROBLEMS } from '../../src/lake/import.js';
import { LOCK_FILE } from '../../src/lake/lock.js';
import {
  count,
  ctEvent,
  ECR_EXAMPLES,
  filesUnder,
  ndjson,
  ocsfRecord,
  tempDirs,
  writeGzip,
  writeText,
} from './helpers.js';

const tmp = tempDirs();

/** Expect a LakeImportError naming `file` (when given), and return it. */
async function importError(p: Promise<unknown>, file?: string): Promise<LakeImportError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LakeImportError);
  const err = e as LakeImportError;
  if (file !== undefined) {
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
  }
  return err;
}

describe('bad lines are skipped and counted', () => {
  it('reports bad NDJSON lines with their line numbers and imports the rest', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const lines = [
      JSON.stringify(ctEvent({ eventName: 'Good1' })), // 1
      '{"eventTime": "2024-03-01T00:00:00Z", "eventName": ', // 2 truncated
      '', // 3 blank: not a problem
      'not json at all', // 4
      '42', // 5 valid JSON, not an object
      JSON.stringify({ hello: 'world' }), // 6 object, not a record
      JSON.stringify(ctEvent({ eventTime: 'yesterday' })), // 7 bad time
      JSON.stringify(ocsfRecord({ time: 'soon' })), // 8 bad OCSF time
      JSON.stringify(ocsfRecord()), // 9
      JSON.stringify(ctEvent({ eventName: 'Good2' })), // 10
    ];
    const file = await writeText(dir, 'mixed.ndjson', lines.join('\n'));
    const summary = await importFiles(lake, [file]);
    const [report] = summary.files;
    expect(report).toMatchObject({ file, kind: 'mixed', records: 3, skipped: 6 });
    expect(report!.problems).toHaveLength(6);
    expect(report!.problems.map((p) => p.split(':')[0])).toEqual([
      'line 2',
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
    ]);
    expect(report!.problems[0]).toMatch(/^line 2: not valid JSON/);
    expect(report!.problems[2]).toBe('line 5: not a JSON object');
    expect(report!.problems[3]).toBe(
      'line 6: not a CloudTrail event (eventTime, eventName) or an OCSF record (class_uid, time)',
    );
    expect(report!.problems[4]).toBe('line 7: eventTime "yesterday" is not an ISO 8601 time');
    expect(report!.problems[5]).toBe('line 8: time "soon" is not epoch milliseconds');
    expect(await count(lake, 'cloudtrail')).toBe(2);
    expect(await count(lake, 'security_lake_cloud_trail_mgmt_2_0')).toBe(1);
  });

  it('numbers bad records of a Records document by their index', async () => {
    const dir = await tmp();
    const records = [ctEvent(), { eventName: 'NoTime' }, ctEvent({ eventTime: 'infinity' }), ctEvent()];
    const file = await writeGzip(dir, 'ct.json.gz', JSON.stringify({ Records: records }));
    const summary = await importFiles(join(dir, 'lake'), [file]);
    expect(summary.files[0]).toMatchObject({ records: 2, skipped: 2 });
    expect(summary.files[0]!.problems).toEqual([
      'record 2: not a CloudTrail event (eventTime, eventName) or an OCSF record (class_uid, time)',
      'record 3: eventTime "infinity" is not an ISO 8601 time',
    ]);
  });

  it('points problems at the right file and record when many small files are imported together', async () => {
    const dir = await tmp();
    const files: string[] = [];
    for (let i = 0; i < 30; i++) {
      const records = [ctEvent(), ctEvent({ eventTime: `bad-${i}` }), ocsfRecord()];
      files.push(
        i % 3 === 0
          ? await writeText(dir, `f${i}.ndjson`, ndjson(records))
          : await writeGzip(dir, `f${i}.json.gz`, JSON.stringify({ Records: records })),
      );
    }
    const summary = await importFiles(join(dir, 'lake'), files);
    summary.files.forEach((f, i) => {
      expect(f).toMatchObject({
        file: files[i],
        kind: 'mixed',
        records: 2,
        skipped: 1,
        problems: [`${i % 3 === 0 ? 'line 2' : 'record 2'}: eventTime "bad-${i}" is not an ISO 8601 time`],
      });
    });
    expect(summary.cloudtrail.added).toBe(30);
    expect(summary.securityLake.added).toBe(30);
  });

  it('keeps only the first few messages but counts every bad line', async () => {
    const dir = await tmp();
    const bad = Array.from({ length: 25 }, (_, i) => `garbage ${i}`);
    const file = await writeText(dir, 'many.ndjson', [JSON.stringify(ctEvent()), ...bad].join('\n'));
    const summary = await importFiles(join(dir, 'lake'), [file]);
    expect(summary.files[0]!.skipped).toBe(25);
    expect(summary.files[0]!.problems).toHaveLength(MAX_PROBLEMS);
    expect(summary.files[0]!.problems[0]).toMatch(/^line 2: /);
  });

  it('skips non-records handed to importRecords, and records of the other table', async () => {
    const lake = join(await tmp(), 'lake');
    const summary = await importRecords(lake, {
      cloudtrail: [ctEvent(), ocsfRecord(), [1, 2] as unknown as object],
      ocsf: [ocsfRecord(), ctEvent()],
    });
    expect(summary.files).toMatchObject([
      {
        file: '<cloudtrail records>',
        kind: 'cloudtrail',
        records: 1,
        skipped: 2,
        problems: ['record 2: not a CloudTrail event (eventTime, eventName)', 'record 3: not a JSON object'],
      },
      {
        file: '<ocsf records>',
        kind: 'ocsf',
        records: 1,
        skipped: 1,
        problems: ['record 2: not an OCSF record (class_uid, time)'],
      },
    ]);
  });
});

describe('an unreadable input is reported and the others import', () => {
  /**
   * Imports a good file, `bad`, then another good file: `bad` is reported as failed with a
   * message naming it, nothing of it is stored, every good record is, and the exit code is 1.
   */
  async function expectNothingWritten(dir: string, bad: string): Promise<{ message: string }> {
    const lake = join(dir, 'lake');
    const good = await writeText(dir, 'good.ndjson', ndjson([ctEvent(), ocsfRecord()]));
    const summary = await importFiles(lake, [good, bad, ECR_EXAMPLES]);
    expect(summary.files.map((f) => f.file)).toEqual([good, bad, ECR_EXAMPLES]);
    const [g, b, ecr] = summary.files;
    expect(b).toMatchObject({ kind: 'error', records: 0, added: 0 });
    expect(b?.error).toContain(bad);
    expect(g).toMatchObject({ kind: 'mixed', added: 2 });
    expect(ecr).toMatchObject({ kind: 'cloudtrail', added: 5 });
    expect(importExitCode(summary.files)).toBe(1);
    expect(await count(lake, 'cloudtrail')).toBe(6);
    expect(await count(lake, 'security_lake_cloud_trail_mgmt_2_0')).toBe(1);
    // alone, the bad input gives nothing usable: exit 2, nothing written
    const alone = join(dir, 'alone');
    const only = await importFiles(alone, [bad]);
    expect(importExitCode(only.files)).toBe(2);
    expect(await filesUnder(alone).catch(() => [])).toEqual([]);
    return { message: b?.error ?? '' };
  }

  it('a garbled gzip file', async () => {
    const dir = await tmp();
    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: [ctEvent()] })));
    gz.fill(0x55, 20, 40);
    const bad = join(dir, 'garbled.json.gz');
    await writeFile(bad, gz);
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/corrupt or truncated gzip/);
  });

  it('a truncated gzip file', async () => {
    const dir = await tmp();
    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: Array.from({ length: 200 }, () => ctEvent()) })));
    const bad = join(dir, 'truncated.json.gz');
    await writeFile(bad, gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/corrupt or truncated gzip/);
  });

  it('a missing file', async () => {
    const dir = await tmp();
    const err = await expectNothingWritten(dir, join(dir, 'does-not-exist.json'));
    expect(err.message).toMatch(/cannot read \(ENOENT\)/);
  });

  it('a directory without a single file to import', async () => {
    const dir = await tmp();
    const bad = join(dir, 'a-directory');
    await mkdir(join(bad, 'sub'), { recursive: true });
    await writeFile(join(bad, 'sub', 'README.md'), 'not a log');
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/no files to import/);
  });

  it('binary garbage', async () => {
    const dir = await tmp();
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const bad = join(dir, 'garbage.bin');
    await writeFile(bad, bytes);
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/binary data/);
  });

  it('text that is not JSON at all', async () => {
    const dir = await tmp();
    const bad = await writeText(dir, 'notes.txt', 'Dear diary,\nno JSON here.\n');
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/no recognisable CloudTrail or OCSF records/);
    expect(err.message).toMatch(/line 1: not valid JSON/);
  });

  it('JSON without a single recognisable record', async () => {
    const dir = await tmp();
    const bad = await writeText(dir, 'other.json', JSON.stringify([{ a: 1 }, { b: 2 }]));
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/2 skipped/);
  });

  it('a Records document with a corrupted record', async () => {
    const dir = await tmp();
    const text = JSON.stringify({ Records: [ctEvent(), ctEvent(), ctEvent()] });
    // Break the middle record's JSON without breaking the document's framing.
    const bad = await writeGzip(
      dir,
      'corrupt.json.gz',
      text.replace('"eventName":"PutImage","awsRegion"', '"eventName":PutImage,"awsRegion"'),
    );
    const err = await expectNothingWritten(dir, bad);
    expect(err.message).toMatch(/not one JSON document/);
  });

  it('a truncated (uncompressed) Records document', async () => {
    const dir = await tmp();
    const text = JSON.stringify({ Records: [ctEvent(), ctEvent(), ctEvent()] }, null, 2);
    const bad = await writeText(dir, 'cut.json', text.slice(0, Math.floor(text.length * 0.7)));
    await expectNothingWritten(dir, bad);
  });

  it('importRecords with nothing usable', async () => {
    const lake = join(await tmp(), 'lake');
    await importError(importRecords(lake, { cloudtrail: [{ nope: 1 }], ocsf: [] }));
    await importError(importRecords(lake, { cloudtrail: 'x' as unknown as object[], ocsf: [] }));
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('a write that fails part way leaves no file visible and no staging behind', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    await mkdir(lake);
    // The CloudTrail table directory cannot be created: renaming into it fails.
    await writeFile(join(lake, 'cloudtrail'), 'in the way');
    await importError(importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [ocsfRecord()] }));
    expect(await readdir(lake)).toEqual(['cloudtrail']);
  });
});

describe('import lock', () => {
  it('refuses to run beside a live import into the same lake', async () => {
    const lake = join(await tmp(), 'lake');
    await mkdir(lake);
    await writeFile(join(lake, LOCK_FILE), String(process.pid));
    const err = await importError(importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] }));
    expect(err.message).toMatch(/another import/);
    expect(await count(lake, 'cloudtrail')).toBe(0);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const lake = join(await tmp(), 'lake');
    await mkdir(lake);
    await writeFile(join(lake, LOCK_FILE), '2147483646');
    const summary = await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
    expect(summary.cloudtrail.added).toBe(1);
    expect(await readdir(lake)).toEqual(['cloudtrail']);
  });

  it('clears staging left by a crashed import, which views never see', async () => {
    // A real Parquet file, left in a staging directory as if an import died before renaming it.
    const src = join(await tmp(), 'src');
    await importRecords(src, { cloudtrail: [ctEvent()], ocsf: [] });
    const [one] = await filesUnder(join(src, 'cloudtrail'));
    const lake = join(await tmp(), 'lake');
    const stale = join(lake, '.hunt-staging-crashed', 'cloudtrail', '_hunt_part=0');
    await mkdir(stale, { recursive: true });
    await copyFile(join(src, 'cloudtrail', one!), join(stale, 'data_0.parquet'));
    expect(await count(lake, 'cloudtrail')).toBe(0);
    await importRecords(lake, { cloudtrail: [ctEvent()], ocsf: [] });
    expect(await readdir(lake)).toEqual(['cloudtrail']);
    expect(await count(lake, 'cloudtrail')).toBe(1);
  });
});
