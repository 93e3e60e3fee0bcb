import { z } from 'zod';

/**
 * ESCU detection YAML, both schemas: current (`rba:` block) and older (`tags.risk_score`,
 * `tags.observable`). Unknown keys are allowed (ESCU adds fields over time); the fields hunt
 * reads are checked.
 */
const nonEmpty = z.string().trim().min(1, 'must not be empty');

const riskObject = z
  .object({
    field: nonEmpty,
    type: nonEmpty,
    score: z.number({ invalid_type_error: 'must be a number' }).min(0).max(100),
  })
  .passthrough();

const threatObject = z.object({ field: nonEmpty, type: nonEmpty }).passthrough();

const observable = z
  .object({
    name: nonEmpty,
    type: nonEmpty,
    role: z.array(z.string()).default([]),
  })
  .passthrough();

const numberish = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);

export const detectionSchema = z
  .object({
    name: nonEmpty,
    id: nonEmpty,
    version: z.union([
      z.number().int().nonnegative(),
      z.string().regex(/^\d+$/, 'must be a whole number').transform(Number),
    ]),
    date: z.union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
    status: z.string().optional(),
    type: z.string().optional(),
    description: z.string().optional(),
    data_source: z.array(z.string()).optional(),
    search: nonEmpty,
    rba: z
      .object({
        message: nonEmpty,
        risk_objects: z.array(riskObject).default([]),
        threat_objects: z
          .array(threatObject)
          .nullish()
          .transform((v) => v ?? []),
      })
      .passthrough()
      .optional(),
    tags: z
      .object({
        analytic_story: z.array(z.string()).optional(),
        mitre_attack_id: z.array(z.string()).optional(),
        // older schema
        risk_score: numberish.optional(),
        impact: numberish.optional(),
        confidence: numberish.optional(),
        message: z.string().optional(),
        observable: z.array(observable).optional(),
      })
      .passthrough()
      .optional(),
    tests: z
      .array(
        z
          .object({
            attack_data: z.array(z.object({ sourcetype: z.string().optional() }).passthrough()).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

export type DetectionYaml = z.infer<typeof detectionSchema>;

export const macroSchema = z
  .object({
    name: nonEmpty,
    definition: z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }),
    arguments: z.array(z.string()).nullish(),
    description: z.string().optional(),
  })
  .passthrough();

/** "field `rba.risk_objects[0].score`: must be a number" from a zod issue. */
export function describeIssue(issue: z.ZodIssue): string {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  let message = issue.message;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') message = 'is required';
  else if (issue.code === 'invalid_type') message = `expected ${issue.expected}, got ${issue.received}`;
  return path ? `field \`${path}\`: ${message}` : message;
}
