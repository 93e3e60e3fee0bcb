/**
 * A wrapper around a real engine for scheduler tests: it counts queries in flight (to check the
 * concurrency limit) and can make the next queries of a detection fail with a given error (to
 * check retries). Every query that is not failed on purpose runs on the real engine.
 */
import type { Engine, QueryRequest, QueryResult } from '../../src/engines/engine.js';

export class ProbeEngine implements Engine {
  readonly name: string;
  readonly dialect: Engine['dialect'];
  inFlight = 0;
  maxInFlight = 0;
  /** detection id of every query started, in order */
  readonly started: string[] = [];
  private readonly failures = new Map<string, Error[]>();

  constructor(
    private readonly inner: Engine,
    /** held before each query, so queries overlap in time as real ones do */
    private readonly delayMs = 0,
  ) {
    this.name = inner.name;
    this.dialect = inner.dialect;
  }

  /** The next queries of this detection fail with these errors, one each, in order. */
  failNext(detectionId: string, ...errors: Error[]): void {
    this.failures.set(detectionId, [...(this.failures.get(detectionId) ?? []), ...errors]);
  }

  async query(req: QueryRequest): Promise<QueryResult> {
    // runWindow's key: `id|version|earliest|latest`
    const id = (req.idempotencyKey ?? '').split('|')[0] ?? '';
    this.started.push(id);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const failure = this.failures.get(id)?.shift();
      if (failure) throw failure;
      return await this.inner.query(req);
    } finally {
      this.inFlight--;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
