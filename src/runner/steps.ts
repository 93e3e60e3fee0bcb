import type { Engine } from '../engines/engine.js';
import type { LookupStore } from '../store/lookup-store.js';
import { bindParams } from '../sql/params.js';
import type { Window } from '../time/window.js';
import { withStored } from '../translate/lookups.js';
import type { Prepared } from '../translate/prepare.js';
import { writtenRows } from '../translate/staged.js';
import type { Translation } from '../translate/translate.js';
import { toResultRows } from './results.js';

/**
 * The steps of a search that writes lookups, over one window: each step's query runs and its
 * rows are stored into its lookup before the next step is planned; returns the final query,
 * planned with everything stored. A search without outputlookup has no steps.
 */
export async function runSteps(
  engine: Engine,
  p: Prepared,
  window: Window,
  store: LookupStore,
  query: { idempotencyKey: string; signal?: AbortSignal },
): Promise<Translation> {
  if (!p.staged) return p.translation;
  let s = p.staged(withStored(p.lookups ?? new Map(), await store.read()));
  for (let step = 1; s.kind === 'write'; step++) {
    const result = await engine.query({
      sql: s.translation.sql,
      params: bindParams(s.translation.slots, window),
      idempotencyKey: `${query.idempotencyKey}|step ${step}`,
      ...(query.signal ? { signal: query.signal } : {}),
    });
    const written = writtenRows(toResultRows(result.rows, s.translation.fields), s.translation.fields);
    await store.write(s.lookup, written, s.append);
    s = s.next(written);
  }
  return s.translation;
}
