import { z } from 'zod';
import type { StorageTarget } from './storage.js';
import { REGISTRY } from './registry.js';
import type { AthenaConfigured } from './source.js';

/**
 * The Athena tables hunt reads, as configured (`sources:` in config/hunt.yaml): each registered
 * source owns its key's schema and how its configuration becomes tables; this composes them.
 */

/** Each source's parsed configuration, by its config key. */
export type AthenaSources = Readonly<Record<string, AthenaConfigured>>;

/** What config/hunt.yaml ships, and what Athena reads when nothing is configured. */
export const DEFAULT_SOURCES: AthenaSources = Object.fromEntries(
  REGISTRY.map((s) => [s.athena.configKey, s.athena.defaults]),
);

/** `sources:` of config/hunt.yaml: one optional key per registered source. */
export const sourcesSchema = z
  .object(Object.fromEntries(REGISTRY.map((s) => [s.athena.configKey, s.athena.schema.optional()])))
  .strict();

/** `sources:` over the sources so far: a source given replaces that source entirely. */
export function athenaSources(base: AthenaSources, y: z.infer<typeof sourcesSchema>): AthenaSources {
  const out: Record<string, AthenaConfigured> = { ...base };
  for (const [key, configured] of Object.entries(y)) if (configured !== undefined) out[key] = configured;
  return out;
}

/** Configured sources → the tables and partition predicates of each sourcetype. */
export function athenaTarget(sources: AthenaSources): StorageTarget {
  const target: StorageTarget = {};
  for (const { athena } of REGISTRY) {
    const configured = sources[athena.configKey] ?? athena.defaults;
    target[athena.sourcetype] = configured.binding();
    Object.assign(target, configured.more?.());
  }
  return target;
}
