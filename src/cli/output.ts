import { escapeControlsKeepLines } from '../text/escape-controls.js';

/** Where command output goes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/**
 * The same output with stderr messages (warnings, errors, progress) shown with control
 * characters escaped: they quote detection names, file names and event data, which must not
 * drive the terminal. stdout is left alone: --json and --csv are data, and tables escape
 * their own cells.
 */
export const withSafeMessages = (io: Io): Io => ({
  out: (t) => io.out(t),
  err: (t) => io.err(escapeControlsKeepLines(t)),
});

export const json = (v: unknown): string => JSON.stringify(v, null, 2);
