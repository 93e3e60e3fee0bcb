import type { z } from 'zod';
import type { DialectName } from '../sql/dialect.js';
import type { BoundParam } from '../sql/params.js';
import type { Engine } from './engine.js';
import type { FailureKind } from './failure.js';

/** What every engine is given besides its own settings. */
export interface EngineContext {
  /** the local lake (`lake:` in the configuration), for engines that read it */
  lakeDir: string;
}

/**
 * Everything hunt knows of one engine, listed once in registry.ts: the CLI's `--engine` choices,
 * the configuration's sections, dry runs and retry decisions all come from these.
 * S: its settings; Y: its configuration section as parsed.
 * (Methods, not function properties: a spec of S is then usable where any spec is expected.)
 */
export interface EngineSpec<S, Y> {
  /** the SQL dialect its queries are compiled in (src/sql/dialects) */
  readonly dialect: DialectName;
  /** its section of the configuration, under the engine's name: schema, defaults, layering */
  readonly config: {
    schema: z.ZodType<Y, z.ZodTypeDef, unknown>;
    defaults: S;
    /** the section over the settings so far: each key given replaces that setting */
    apply(base: S, section: Y): S;
  };
  /** whether it reads the local lake (a command checks the lake exists before opening it) */
  readonly readsLake: boolean;
  /** Opens the engine; its implementation is loaded only here (a duckdb run loads no AWS SDK). */
  open(settings: S, ctx: EngineContext): Promise<Engine>;
  /** What kind of failure an error from its queries is (see failure.ts). */
  classify(err: unknown): FailureKind;
  /** `hunt run --dry-run`: the parameters as this engine receives them. */
  readonly dryRun: {
    heading: string;
    /** throws EngineParameterError for a value the engine cannot take */
    params(bound: BoundParam[]): (string | number)[];
  };
  /**
   * the longest parameter text it takes, and how long a configured value can become as one, so
   * configured macro values are refused when read
   */
  readonly parameterLimit?: ParameterLimit;
}

/** An engine's limit on one parameter's literal text. */
export interface ParameterLimit {
  engine: string;
  maxLength: number;
  /** the longest literal a configured value can become in this engine's parameters */
  worstLength(value: string): number;
}
