/**
 * Structured logs (pino): one JSON object per line with detection, window and run id, for log
 * shippers; on a terminal, pino-pretty's readable lines instead. The pretty stream is used in
 * process (not as a worker transport), so it works from the bundled CLI and flushes on exit.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { escapeControls } from '../text/escape-controls.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** 'json' (default when not a TTY), 'pretty' (default on a TTY) */
  format?: 'json' | 'pretty';
  level?: string;
  /** where lines go (default: stderr; stdout stays for command output) */
  destination?: NodeJS.WritableStream & { fd?: number };
}

export function createLogger(o: LoggerOptions = {}): Logger {
  const dest = o.destination ?? process.stderr;
  const format = o.format ?? ((dest as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  const base = { level: o.level ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') {
    return pino(
      { ...base, ...terminalSafe },
      pretty({
        destination: dest,
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
      }),
    );
  }
  return pino(base, dest);
}

/**
 * Pretty lines go to a terminal: control characters from data (a detection name, an engine's
 * error) are escaped as JSON lines escape them, in the message and in every field, so they cannot
 * drive the terminal (src/text/escape-controls.ts).
 */
const terminalSafe = {
  // errors are serialised after formatters.log runs: their message and stack are escaped here
  serializers: { err: (e: Error) => escapeDeep({ ...pino.stdSerializers.err(e) }) },
  formatters: { log: (o: Record<string, unknown>) => escapeDeep(o) as Record<string, unknown> },
  hooks: {
    logMethod(this: Logger, args: Parameters<Logger['info']>, method: Logger['info']): void {
      const safe = args.map((a: unknown) => (typeof a === 'string' ? escapeControls(a) : a));
      method.apply(this, safe as Parameters<Logger['info']>);
    },
  },
};

function escapeDeep(v: unknown): unknown {
  if (typeof v === 'string') return escapeControls(v);
  if (Array.isArray(v)) return v.map(escapeDeep);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeControls(k), escapeDeep(x)]));
  }
  return v;
}

/** A logger that drops everything (library use, tests that do not look at logs). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
