import { describe, expect, it } from 'vitest';
import { formatBytes, ProgressWriter, progressText, renderProgress } from '../../../src/lake/s3/progress.js';

const state = {
  objectsDone: 3,
  objectsTotal: 10,
  bytesDone: 3 * 1024 ** 2,
  bytesTotal: 12 * 1024 ** 2,
  elapsedMs: 2000,
};

describe('progress rendering', () => {
  it('formats bytes', () => {
    expect([0, 1023, 1536, 10 * 1024, 5.25 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KB',
      '10 KB',
      '5.3 GB',
    ]);
  });

  it('shows objects, bytes, rate and time left', () => {
    expect(progressText(state)).toBe('3/10 objects  3.0 MB/12 MB  1.5 MB/s  ETA 6s');
    expect(progressText({ ...state, failed: 1 })).toContain('1 failed');
    expect(progressText({ ...state, elapsedMs: 0 })).toBe('3/10 objects  3.0 MB/12 MB');
  });

  it('fits the width: a bar when there is room, cut text when there is not', () => {
    const wide = renderProgress(state, 100);
    expect(wide).toBe(`S3 [==========>${' '.repeat(29)}] 3/10 objects  3.0 MB/12 MB  1.5 MB/s  ETA 6s`);
    expect(wide.length).toBeLessThanOrEqual(100);
    for (const w of [20, 40, 60, 70, 80]) expect(renderProgress(state, w).length).toBeLessThanOrEqual(w);
    expect(renderProgress(state, 30)).toBe('S3 3/10 objects  3.0 MB/12 MB ');
    expect(renderProgress({ ...state, bytesDone: state.bytesTotal, objectsDone: 10 }, 100)).toContain(
      `[${'='.repeat(40)}]`,
    );
  });
});

describe('ProgressWriter', () => {
  it('redraws one line in place on a terminal, no more often than the redraw interval', () => {
    let t = 0;
    const out: string[] = [];
    const w = new ProgressWriter({ isTTY: true, columns: 100, write: (s: string) => out.push(s) }, { now: () => t });
    w.total(2, 2048);
    w.bytes(1024);
    t = 150;
    w.bytes(1024);
    w.object();
    t = 300;
    w.object();
    w.finish();
    expect(out.every((s) => s === '\n' || (s.startsWith('\r') && s.endsWith('\x1b[K')))).toBe(true);
    expect(out).toHaveLength(5);
    expect(out.at(-2)).toContain('2/2 objects  2.0 KB/2.0 KB');
    expect(out.at(-1)).toBe('\n');
  });

  it('writes a summary line at most every few seconds when not a terminal', () => {
    let t = 0;
    const out: string[] = [];
    const w = new ProgressWriter({ write: (s: string) => out.push(s) }, { now: () => t, lineMs: 5000 });
    w.total(100, 100);
    for (let i = 0; i < 100; i++) {
      t += 100;
      w.bytes(1);
      w.object();
    }
    w.finish();
    // nothing at the start (a short import prints its final line only), then one line per 5 s
    expect(out).toEqual([
      'S3 49/100 objects  50 B/100 B  10 B/s  ETA 5s\n',
      'S3 99/100 objects  100 B/100 B  10 B/s\n',
      'S3 100/100 objects  100 B/100 B  10 B/s\n',
    ]);
  });
});
