import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { configMacros } from '../detections/macros.js';
import { DetectionError, readYaml } from '../detections/load.js';
import { describeIssue } from '../detections/schema.js';
import { huntHome, packageRoot } from '../paths.js';
import type { MacroDef } from '../spl/macros.js';
import {
  applyEngineSections,
  DEFAULT_ENGINE,
  defaultEngineSettings,
  engineConfigShape,
  engineNameSchema,
  parameterLimits,
  type EngineName,
  type EngineSettingsMap,
} from '../engines/registry.js';
import {
  athenaSources,
  athenaTarget,
  DEFAULT_SOURCES,
  sourcesSchema,
  type AthenaSources,
} from '../sources/athena-sources.js';
import type { StorageTarget } from '../sources/bindings.js';
import { READ_DEFAULT, readChoice, readSchema, storageFor, type ReadChoice } from '../sources/read-from.js';
import { checkMacroValues } from './macro-values.js';
import { incidentRules, riskSchema } from '../risk/config.js';
import { DEFAULT_INCIDENT_RULES, type IncidentRule } from '../risk/incident-rules.js';
import { SCHEDULE_DEFAULTS, scheduleSchema, scheduleSettings, type ScheduleSettings } from '../scheduler/config.js';

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
    lookups: z.string().min(1).optional(),
    macros: z.record(macroValue).nullish(),
    lake: z.string().min(1).nullish(),
    engine: engineNameSchema.optional(),
    // each engine's own section (athena:, duckdb:, ...), its schema from the engine registry
    ...engineConfigShape(),
    sources: sourcesSchema.nullish(),
    read: readSchema.nullish(),
    schedule: scheduleSchema.nullish(),
    risk: riskSchema.nullish(),
  })
  .strict();

/** The configuration; each engine's settings are under its name (`athena`, `duckdb`, ...). */
export interface HuntConfig extends EngineSettingsMap {
  timezone: string;
  detectionsDir: string;
  /** the security_content `lookups/` directory (absent: `lookups` beside the detections directory) */
  lookupsDir?: string;
  /** macro overrides from configuration (external: their literals become parameters) */
  macros: MacroDef[];
  lakeDir: string;
  huntHome: string;
  files: string[];
  /** where `hunt run` runs detections unless --engine says otherwise */
  engine: EngineName;
  /** each source's Athena tables as configured, by its key under `sources:` */
  sources: AthenaSources;
  /** the same as a storage target: what the Athena SQL reads */
  athenaStorage: StorageTarget;
  /** which source each sourcetype's detections read (`read:`; `--source` on top) */
  read: ReadChoice;
  /** `hunt schedule` / `hunt backfill` */
  schedule: ScheduleSettings;
  /** risk incident rules, evaluated after every stored run */
  incidentRules: IncidentRule[];
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
    engine: DEFAULT_ENGINE,
    ...defaultEngineSettings(),
    sources: DEFAULT_SOURCES,
    athenaStorage: athenaTarget(DEFAULT_SOURCES),
    read: READ_DEFAULT,
    schedule: SCHEDULE_DEFAULTS,
    incidentRules: [...DEFAULT_INCIDENT_RULES],
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
    if (c.lookups) {
      const dir = resolve(base, c.lookups);
      if (!existsSync(dir)) throw new ConfigError(f, `field \`lookups\`: ${dir} does not exist`);
      config.lookupsDir = dir;
    }
    if (c.lake) config.lakeDir = resolve(base, c.lake);
    if (c.engine) config.engine = c.engine;
    Object.assign(config, applyEngineSections(config, c));
    if (c.sources) {
      config.sources = athenaSources(config.sources, c.sources);
      try {
        config.athenaStorage = athenaTarget(config.sources);
      } catch (err) {
        // the schema has checked every name and value; this is the backstop, still naming the file
        throw new ConfigError(f, `sources: ${(err as Error).message}`);
      }
    }
    if (c.read) config.read = readChoice(config.read, c.read);
    if (c.sources || c.read) {
      const problem = readProblem(config.athenaStorage, config.read);
      if (problem) throw new ConfigError(f, `read: ${problem}`);
    }
    if (c.schedule) config.schedule = scheduleSettings(config.schedule, c.schedule, f);
    if (c.risk) {
      const rules = incidentRules(config.incidentRules, c.risk);
      if (typeof rules === 'string') throw new ConfigError(f, rules);
      config.incidentRules = rules;
    }
    if (c.macros) {
      const problem = checkMacroValues(c.macros, parameterLimits());
      if (problem) throw new ConfigError(f, problem);
      const layer = configMacros(c.macros, f);
      config.macros = [...layer, ...config.macros.filter((m) => !layer.some((l) => l.name === m.name))];
    }
    config.files.push(f);
  }
  return config;
}

/**
 * Why the configured Athena tables cannot give a chosen source (Security Lake tables of mixed
 * versions for CloudTrail detections), or undefined: found when the file is read, not when a
 * detection first compiles.
 */
export function readProblem(athena: StorageTarget, read: ReadChoice): string | undefined {
  const chosen = new Set([...Object.values(read.sourcetypes), ...Object.values(read.detections), read.only]);
  for (const only of chosen) {
    if (only === undefined) continue;
    try {
      storageFor(athena, { ...read, only });
    } catch (err) {
      return `${only}: ${(err as Error).message}`;
    }
  }
  return undefined;
}
