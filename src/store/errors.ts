/**
 * The database cannot be reached (server down, wrong URL, bad credentials, embedded server that
 * will not start). The message says where we tried (host/port or data dir) and never carries a
 * password; the CLI prints it as is (exit 1), so it must read well without a stack trace.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A readable reason from whatever a driver or socket threw (Node's AggregateError has no message). */
export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) {
    const reasons = [...new Set(err.errors.map(reasonOf))];
    return reasons.join('; ');
  }
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    if (err.message) return err.message;
    if (typeof code === 'string') return code;
    return err.name;
  }
  return String(err);
}

/** The migrations on disk and the database disagree (bad file name, an applied file edited). */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Migrations are pending and this command only reads: `hunt migrate` (or a writing command) applies them. */
export class SchemaOutOfDateError extends Error {
  override name = 'SchemaOutOfDateError';
}
