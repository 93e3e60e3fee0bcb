import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE, S3Ledger } from '../../../src/lake/s3/ledger.js';

let lake: string;
beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'hunt-ledger-'));
});
afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

const obj = (key: string, etag = '"e1"') => ({ bucket: 'b', key, etag, size: 10 });

describe('S3Ledger', () => {
  it('starts empty, records objects with their ETag and reads them back', async () => {
    const ledger = await S3Ledger.load(lake);
    expect(ledger.size).toBe(0);
    await ledger.record([obj('a'), obj('b')], new Date('2024-03-01T00:00:00Z'));
    expect(ledger.has('b', 'a', '"e1"')).toBe(true);
    const again = await S3Ledger.load(lake);
    expect(again.has('b', 'a', '"e1"')).toBe(true);
    expect(again.has('b', 'b', '"e1"')).toBe(true);
    expect(again.has('other', 'a', '"e1"')).toBe(false);
    const lines = (await readFile(join(lake, LEDGER_FILE), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0] as string)).toEqual({
      bucket: 'b',
      key: 'a',
      etag: '"e1"',
      size: 10,
      importedAt: '2024-03-01T00:00:00.000Z',
    });
  });

  it('counts an object whose ETag changed as not imported, and the latest record wins', async () => {
    const ledger = await S3Ledger.load(lake);
    await ledger.record([obj('a'), obj('b')]);
    expect(ledger.pending([obj('a'), obj('b', '"e2"'), obj('c')]).map((o) => o.key)).toEqual(['b', 'c']);
    await ledger.record([obj('b', '"e2"')]);
    const again = await S3Ledger.load(lake);
    expect(again.has('b', 'b', '"e2"')).toBe(true);
    expect(again.has('b', 'b', '"e1"')).toBe(false);
  });

  it('skips a torn last line (a write cut by SIGKILL) and appends after it on a fresh line', async () => {
    const ledger = await S3Ledger.load(lake);
    await ledger.record([obj('a')]);
    await appendFile(join(lake, LEDGER_FILE), '{"bucket":"b","key":"torn","et');
    const afterCrash = await S3Ledger.load(lake);
    expect(afterCrash.skippedLines).toBe(1);
    expect(afterCrash.has('b', 'a', '"e1"')).toBe(true);
    expect(afterCrash.has('b', 'torn', '"e1"')).toBe(false);
    await afterCrash.record([obj('c')]);
    const later = await S3Ledger.load(lake);
    expect(later.has('b', 'c', '"e1"')).toBe(true);
    expect(later.skippedLines).toBe(1);
    expect(later.size).toBe(2);
  });

  it('stays readable when the writing process is SIGKILLed mid-import', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ledger-writer.ts'), lake], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout, 'data');
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const ledger = await S3Ledger.load(lake);
    expect(ledger.size).toBeGreaterThanOrEqual(500);
    expect(ledger.skippedLines).toBeLessThanOrEqual(1);
    const before = ledger.size;
    await ledger.record([obj('after-crash')]);
    const again = await S3Ledger.load(lake);
    expect(again.has('b', 'after-crash', '"e1"')).toBe(true);
    expect(again.size).toBe(before + 1);
    expect(again.skippedLines).toBe(ledger.skippedLines);
  });
});
