/**
 * Progress of an S3 import on stderr: objects and bytes done of the totals, with the rate.
 * On a terminal one line is redrawn in place; otherwise (a log file, CI) a summary line is
 * written at most every few seconds, so logs stay short. `renderProgress` is pure.
 */

export interface ProgressState {
  objectsDone: number;
  objectsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** objects that failed (counted in objectsDone too) */
  failed?: number;
  elapsedMs: number;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> '1.5 KB' (powers of 1024, one decimal below 10). */
export function formatBytes(n: number): string {
  let v = Math.max(0, n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 || v >= 10 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The counts, rate and time left as text, without the bar. */
export function progressText(s: ProgressState): string {
  const parts = [
    `${s.objectsDone}/${s.objectsTotal} objects`,
    `${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}`,
  ];
  const rate = s.elapsedMs > 0 ? (s.bytesDone * 1000) / s.elapsedMs : 0;
  if (rate > 0) {
    parts.push(`${formatBytes(rate)}/s`);
    const left = s.bytesTotal - s.bytesDone;
    if (left > 0 && s.objectsDone < s.objectsTotal) parts.push(`ETA ${formatDuration((left / rate) * 1000)}`);
  }
  if (s.failed) parts.push(`${s.failed} failed`);
  return parts.join('  ');
}

/**
 * One line of at most `width` characters: `S3 [=====>    ]  3/10 objects  1.5 MB/4 MB  …`. The bar
 * takes what the text leaves (at least 10 columns, else it is dropped); text is cut to fit.
 */
export function renderProgress(s: ProgressState, width: number): string {
  const text = progressText(s);
  const fraction =
    s.bytesTotal > 0 ? s.bytesDone / s.bytesTotal : s.objectsTotal > 0 ? s.objectsDone / s.objectsTotal : 1;
  const room = width - text.length - 'S3 [] '.length - 1;
  if (room < 10) return `S3 ${text}`.slice(0, Math.max(0, width));
  const barWidth = Math.min(room, 40);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * barWidth);
  const bar = '='.repeat(filled) + (filled < barWidth ? `>${' '.repeat(barWidth - filled - 1)}` : '');
  return `S3 [${bar}] ${text}`;
}

export interface ProgressWriterOptions {
  /** least time between redraws on a terminal (default 100 ms) */
  redrawMs?: number;
  /** least time between lines when not a terminal (default 5 s) */
  lineMs?: number;
  now?: () => number;
}

/** Where progress goes: process.stderr, or any stream with the same few members. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Keeps the counts and draws them on `stream`, no more often than the options allow. */
export class ProgressWriter {
  private state: ProgressState = {
    objectsDone: 0,
    objectsTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    failed: 0,
    elapsedMs: 0,
  };
  private readonly started: number;
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly options: ProgressWriterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Set the totals (they may grow as listing goes on). */
  total(objects: number, bytes: number): void {
    this.state.objectsTotal = objects;
    this.state.bytesTotal = bytes;
    this.tick();
  }

  /** Add bytes received (may be negative when a cut download's bytes are fetched again). */
  bytes(n: number): void {
    this.state.bytesDone += n;
    this.tick();
  }

  /** One object done; `ok: false` counts it as failed too. */
  object(ok = true): void {
    this.state.objectsDone++;
    if (!ok) this.state.failed = (this.state.failed ?? 0) + 1;
    this.tick();
  }

  /** The final state, on its own line. */
  finish(): void {
    this.draw(true);
    if (this.stream.isTTY && this.drawn) this.stream.write('\n');
  }

  private tick(): void {
    const wait = this.stream.isTTY ? (this.options.redrawMs ?? 100) : (this.options.lineMs ?? 5000);
    if (this.now() - this.last >= wait) this.draw(false);
  }

  private draw(final: boolean): void {
    const t = this.now();
    this.last = t;
    const state = { ...this.state, elapsedMs: t - this.started };
    if (this.stream.isTTY) {
      // \r and erase-to-end-of-line: redraw in place
      this.stream.write(`\r${renderProgress(state, (this.stream.columns ?? 80) - 1)}\x1b[K`);
      this.drawn = true;
    } else if (final || state.objectsDone > 0 || state.bytesDone > 0) {
      this.stream.write(`S3 ${progressText(state)}\n`);
    }
  }
}
