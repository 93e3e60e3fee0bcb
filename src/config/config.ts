import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { configMacros } from '../detections/macros.js';
import { DetectionError, readYaml } from '../detections/load.js';
import { describeIssue } from '../detections/schema.js';
import { huntHome, packageRoot } from '../paths.js';
import type { MacroDef } from '../spl/macros.js';

const macroValue = z.union([
  z.string(),
  z.object({ definition: z.string(), arguments: z.array(z.string()).optional() }).strict(),
]);

const configSchema = z
  .object({
    timezone: z
      .string()
      .refine((tz) => IANAZone.isValidZone(tz), { message: 'is not an IANA time zone (e.g. UTC, Europe/Paris)' })
      .optional(),
    detections: z.string().min(1).optional(),
    macros: z.record(macroValue).nullish(),
    lake: z.string().min(1).nullish(),
  })
  .strict();

export interface HuntConfig {
  timezone: string;
  detectionsDir: string;
  /** macro overrides from configuration (external: their literals become parameters) */
  macros: MacroDef[];
  lakeDir: string;
  huntHome: string;
  files: string[];
}

export class ConfigError extends DetectionError {}

/** The shipped defaults, then `file` on top. */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): HuntConfig {
  const home = huntHome(env);
  const defaults = join(packageRoot(), 'config', 'hunt.yaml');
  const config: HuntConfig = {
    timezone: 'UTC',
    detectionsDir: join(packageRoot(), 'detections'),
    macros: [],
    lakeDir: join(home, 'lake'),
    huntHome: home,
    files: [],
  };
  for (const f of [defaults, ...(file ? [resolve(file)] : [])]) {
    if (!existsSync(f)) throw new ConfigError(f, 'config file not found');
    const raw = readYaml(f) ?? {};
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) throw new ConfigError(f, parsed.error.issues.map(describeIssue).join('; '));
    const c = parsed.data;
    const base = dirname(f);
    if (c.timezone) config.timezone = c.timezone;
    if (c.detections) config.detectionsDir = resolve(base, c.detections);
    if (c.lake) config.lakeDir = resolve(base, c.lake);
    if (c.macros) {
      const layer = configMacros(c.macros, f);
      config.macros = [...layer, ...config.macros.filter((m) => !layer.some((l) => l.name === m.name))];
    }
    config.files.push(f);
  }
  return config;
}
