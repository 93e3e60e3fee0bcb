import { z } from 'zod';
import { cloudtrailOnSecurityLake } from './security-lake/cloudtrail-on-asl.js';
import type { StorageTarget, TableBinding } from './storage.js';

/**
 * Which source's tables a sourcetype's detections read, as data: a sourcetype listed here can
 * be read from each named source (its own tables, or another source's under its raw names);
 * any other sourcetype reads its own tables only. `read:` of config/hunt.yaml and `--source`
 * choose among them; storageFor applies the choice to a storage target.
 */
const READABLE_FROM: Readonly<
  Record<string, Readonly<Record<string, (t: StorageTarget) => TableBinding | undefined>>>
> = {
  'aws:cloudtrail': { cloudtrail: (t) => t['aws:cloudtrail'], security_lake: cloudtrailOnSecurityLake },
  'aws:asl': { security_lake: (t) => t['aws:asl'] },
};

/** Every source a detection can be pointed at (`--source`, `read.detections`). */
export const READ_SOURCES: readonly string[] = [...new Set(Object.values(READABLE_FROM).flatMap(Object.keys))];

/** Where the sourcetypes of a detection read from. */
export interface ReadChoice {
  /** sourcetype → the source its detections read (absent: its own tables) */
  sourcetypes: Readonly<Record<string, string>>;
  /** detection id, name or file stem → the source its sourcetypes read where they can */
  detections: Readonly<Record<string, string>>;
  /** `--source`: every detection's sourcetypes read there where they can, over the rest */
  only?: string;
}

export const READ_DEFAULT: ReadChoice = { sourcetypes: {}, detections: {} };

const sourceName = z.string().refine((s) => READ_SOURCES.includes(s), {
  message: `is not a source to read from (${READ_SOURCES.join(', ')})`,
});

/** `read:` of config/hunt.yaml. */
export const readSchema = z
  .object({
    sourcetypes: z.record(z.string(), z.string()).optional(),
    detections: z.record(z.string().min(1), sourceName).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    for (const [st, from] of Object.entries(r.sourcetypes ?? {})) {
      const options = READABLE_FROM[st.toLowerCase()];
      if (!options)
        ctx.addIssue({
          code: 'custom',
          path: ['sourcetypes', st],
          message: `no other source holds this sourcetype (sourcetypes: ${Object.keys(READABLE_FROM).join(', ')})`,
        });
      else if (!options[from])
        ctx.addIssue({
          code: 'custom',
          path: ['sourcetypes', st],
          message: `${JSON.stringify(from)} is not a source it can be read from (${Object.keys(options).join(', ')})`,
        });
    }
  });

/** `read:` over the choice so far: entries given replace those of the same key. */
export function readChoice(base: ReadChoice, y: z.infer<typeof readSchema>): ReadChoice {
  const lower = Object.fromEntries(Object.entries(y.sourcetypes ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ...base,
    sourcetypes: { ...base.sourcetypes, ...lower },
    detections: { ...base.detections, ...y.detections },
  };
}

/** `--source NAME`, checked: throws naming the known sources. */
export function onlySource(choice: ReadChoice, name: string): ReadChoice {
  if (!READ_SOURCES.includes(name))
    throw new Error(`${name} is not a source to read from (${READ_SOURCES.join(', ')})`);
  return { ...choice, only: name };
}

/**
 * The storage target one detection reads: `base` (the local lake's or the configured Athena
 * tables) with each sourcetype's chosen source applied. `--source` wins, then the detection's
 * own entry (first of `keys` found: id, name, file stem), then the sourcetype's. Pure.
 */
export function storageFor(base: StorageTarget, choice: ReadChoice, keys: readonly string[] = []): StorageTarget {
  const forDetection = keys.map((k) => choice.detections[k]).find((v) => v !== undefined);
  const out: StorageTarget = { ...base };
  for (const [sourcetype, options] of Object.entries(READABLE_FROM)) {
    const wanted = [choice.only, forDetection, choice.sourcetypes[sourcetype]].find((s) => s && options[s]);
    if (!wanted) continue;
    const binding = options[wanted]?.(base);
    if (binding) out[sourcetype] = binding;
  }
  return out;
}
