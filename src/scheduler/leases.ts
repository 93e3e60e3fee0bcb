import type { DatabasePool } from 'slonik';
import { renewClaim, type Claim } from '../store/ledger.js';
import type { Clock } from './clock.js';

export interface LeaseEvents {
  /** a claim was found taken over (its lease had run out) */
  onLost?: (c: Claim) => void;
  onError?: (err: unknown) => void;
}

/**
 * Renews the claims' leases every third of a lease while their work runs, so a live runner keeps
 * them and a dead one loses them. Returns the function that stops renewing. The timer does not
 * keep the process alive.
 */
export function keepLeases(
  pool: DatabasePool,
  claims: Claim[],
  clock: Clock,
  leaseMs: number,
  on: LeaseEvents = {},
): () => void {
  const timer = setInterval(
    () => {
      for (const c of claims) {
        renewClaim(pool, c, clock.now(), leaseMs)
          .then((held) => {
            if (!held) on.onLost?.(c);
          })
          .catch((err: unknown) => on.onError?.(err));
      }
    },
    Math.max(1_000, leaseMs / 3),
  );
  timer.unref();
  return () => clearInterval(timer);
}
