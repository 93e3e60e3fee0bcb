import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { loadConfig, readProblem, type HuntConfig } from '../config/config.js';
import { onlySource } from '../sources/read-from.js';
import { parseNow } from '../time/index.js';
import { UsageError } from './errors.js';

/** Configuration with the command's overrides applied (flags win over the config file). */
export function commandConfig(
  opts: { config?: string; detections?: string; lake?: string; source?: string },
  env: NodeJS.ProcessEnv,
): HuntConfig {
  const config = loadConfig(opts.config, env);
  if (opts.source !== undefined) {
    try {
      config.read = onlySource(config.read, opts.source);
    } catch (err) {
      throw new UsageError(`--source ${opts.source}: ${(err as Error).message}`);
    }
    const problem = readProblem(config.athenaStorage, config.read);
    if (problem) throw new UsageError(`--source ${problem}`);
  }
  if (opts.detections) {
    const dir = resolve(opts.detections);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--detections ${opts.detections}: not a directory`);
    config.detectionsDir = dir;
  }
  if (opts.lake) config.lakeDir = resolve(opts.lake);
  return config;
}

/** `--now T`, or the clock. */
export function nowFrom(flag: string | undefined): DateTime {
  return flag === undefined ? DateTime.utc() : parseNow(flag);
}

/** The lake must exist before anything is run over it. */
export function requireLake(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `no lake at ${dir}: run \`hunt demo\` for a sample lake, or \`hunt lake import --lake ${dir} FILE...\``,
    );
  }
}
