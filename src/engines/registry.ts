import { z } from 'zod';
import { orList } from '../text/or-list.js';
import { athena } from './athena/index.js';
import { duckdb } from './duckdb/index.js';
import type { Engine } from './engine.js';
import { classifyCommon, type FailureKind } from './failure.js';
import type { EngineContext, EngineSpec, ParameterLimit } from './spec.js';

/**
 * Every engine hunt can run on, by the name `--engine` and `engine:` take. The first is the
 * default. Adding an engine is a folder beside these (its dialect in src/sql/dialects) and one
 * line here.
 */
export const ENGINES = {
  duckdb,
  athena,
};

export type EngineName = keyof typeof ENGINES;
/** An engine's own settings, as its configuration section gives them. */
export type EngineSettings<K extends EngineName> = (typeof ENGINES)[K]['config']['defaults'];
/** Each engine's settings under its name: the part of HuntConfig the engines own. */
export type EngineSettingsMap = { [K in EngineName]: EngineSettings<K> };
type EngineSection<K extends EngineName> = z.infer<(typeof ENGINES)[K]['config']['schema']>;

// the same specs, their settings types forgotten, for code that handles any engine
const SPECS: Record<EngineName, EngineSpec<unknown, unknown>> = ENGINES;

export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];
export const DEFAULT_ENGINE: EngineName = ENGINE_NAMES[0] as EngineName;

export function isEngineName(name: string): name is EngineName {
  return Object.hasOwn(ENGINES, name);
}

export function engineSpec(name: EngineName): EngineSpec<unknown, unknown> {
  return SPECS[name];
}

/** `engine:` in the configuration. */
export const engineNameSchema = z.enum(ENGINE_NAMES as [EngineName, ...EngineName[]], {
  errorMap: () => ({ message: `must be ${orList(ENGINE_NAMES)}` }),
});

/** Each engine's configuration section under its name (for the configuration's schema). */
export function engineConfigShape(): {
  [K in EngineName]: z.ZodOptional<z.ZodNullable<(typeof ENGINES)[K]['config']['schema']>>;
} {
  const shape = Object.fromEntries(ENGINE_NAMES.map((n) => [n, SPECS[n].config.schema.nullable().optional()]));
  return shape as ReturnType<typeof engineConfigShape>;
}

export function defaultEngineSettings(): EngineSettingsMap {
  return Object.fromEntries(ENGINE_NAMES.map((n) => [n, SPECS[n].config.defaults])) as EngineSettingsMap;
}

/** The configuration's engine sections over the settings so far: each section layers on its engine's. */
export function applyEngineSections(
  base: EngineSettingsMap,
  sections: { [K in EngineName]?: EngineSection<K> | null },
): EngineSettingsMap {
  const out = Object.fromEntries(
    ENGINE_NAMES.map((n) => {
      const section = sections[n];
      return [n, section ? SPECS[n].config.apply(base[n], section) : base[n]];
    }),
  );
  return out as EngineSettingsMap;
}

/** Opens an engine with its own settings (the caller picks them from the configuration). */
export function openEngine<K extends EngineName>(
  name: K,
  settings: EngineSettings<K>,
  ctx: EngineContext,
): Promise<Engine> {
  return SPECS[name].open(settings, ctx);
}

/**
 * What kind of failure a query's error is, by the engine that ran it; an engine not in the
 * registry (a test's stand-in) gets the rules every engine shares.
 */
export function classifyEngineFailure(engine: string, err: unknown): FailureKind {
  return isEngineName(engine) ? SPECS[engine].classify(err) : classifyCommon(err);
}

/** Each engine's parameter limit: a configured value must fit every engine it may run on. */
export function parameterLimits(): ParameterLimit[] {
  return ENGINE_NAMES.flatMap((n) => {
    const limit = SPECS[n].parameterLimit;
    return limit ? [limit] : [];
  });
}
