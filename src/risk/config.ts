/**
 * `risk.incidents` of the configuration: the risk incident rules (src/risk/incident-rules.ts).
 * Each entry is a rule by name: the stock two can be re-tuned or disabled, and more added. A
 * rule has a window and either `score_over` or `min_tactics` with `min_detections`.
 */
import { z } from 'zod';
import type { IncidentRule } from './incident-rules.js';
import { durationSchema } from '../time/duration-schema.js';

const rule = z
  .object({
    enabled: z.boolean().optional(),
    title: z.string().min(1).optional(),
    window: durationSchema('e.g. 24h, 7d')
      .refine((ms) => ms >= 60_000 && ms <= 90 * 86_400_000, 'must be between 1m and 90d')
      .optional(),
    score_over: z.number().min(0).optional(),
    min_tactics: z.number().int().min(1).max(14).optional(),
    min_detections: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((r) => !(r.score_over !== undefined && (r.min_tactics !== undefined || r.min_detections !== undefined)), {
    message: 'takes either score_over, or min_tactics with min_detections, not both',
  });

export const riskSchema = z
  .object({
    incidents: z
      .record(z.string().regex(/^[a-z0-9_]{1,64}$/, 'rule names are 1-64 lower-case letters, digits or _'), rule)
      .nullish(),
  })
  .strict();

export type RiskConfigInput = z.infer<typeof riskSchema>;

/** The rules with the configuration's entries applied; errors name the rule. */
export function incidentRules(base: readonly IncidentRule[], c: RiskConfigInput): IncidentRule[] | string {
  const rules = new Map(base.map((r) => [r.name, r]));
  for (const [name, o] of Object.entries(c.incidents ?? {})) {
    if (o.enabled === false) {
      rules.delete(name);
      continue;
    }
    const old = rules.get(name);
    const windowMs = o.window ?? old?.windowMs;
    if (windowMs === undefined) return `risk.incidents.${name}: a new rule needs a window`;
    const title = o.title ?? old?.title ?? name;
    const kind =
      o.score_over !== undefined
        ? 'score'
        : o.min_tactics !== undefined || o.min_detections !== undefined
          ? 'tactics'
          : old?.kind;
    if (kind === 'score') {
      const scoreOver = o.score_over ?? (old?.kind === 'score' ? old.scoreOver : undefined);
      if (scoreOver === undefined) return `risk.incidents.${name}: needs score_over`;
      rules.set(name, { name, title, kind, windowMs, scoreOver });
    } else if (kind === 'tactics') {
      const minTactics = o.min_tactics ?? (old?.kind === 'tactics' ? old.minTactics : undefined);
      const minDetections = o.min_detections ?? (old?.kind === 'tactics' ? old.minDetections : undefined);
      if (minTactics === undefined || minDetections === undefined)
        return `risk.incidents.${name}: needs min_tactics and min_detections`;
      rules.set(name, { name, title, kind, windowMs, minTactics, minDetections });
    } else {
      return `risk.incidents.${name}: a new rule needs score_over, or min_tactics with min_detections`;
    }
  }
  return [...rules.values()];
}
