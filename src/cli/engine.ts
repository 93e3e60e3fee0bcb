import type { HuntConfig } from '../config/config.js';
import type { Engine } from '../engines/engine.js';
import { engineSpec, openEngine, type EngineName } from '../engines/registry.js';
import type { DialectName } from '../sql/dialect.js';
import { requireLake } from './context.js';

/** The `--engine` a command runs on: the flag, else `engine:` in the configuration. */
export const chosenEngine = (flag: EngineName | undefined, config: HuntConfig): EngineName => flag ?? config.engine;

/** The dialect a command compiles in for the engine it runs on. */
export const engineDialect = (name: EngineName): DialectName => engineSpec(name).dialect;

/** Before anything runs: an engine that reads the local lake needs one. */
export function requireEngineInput(name: EngineName, config: HuntConfig): void {
  if (engineSpec(name).readsLake) requireLake(config.lakeDir);
}

/** Opens the engine with its own settings only (never the whole configuration). */
export function openConfiguredEngine(name: EngineName, config: HuntConfig): Promise<Engine> {
  return openEngine(name, config[name], { lakeDir: config.lakeDir });
}

/**
 * After an interrupted run has said so: when the process is still alive after `graceMs`, the
 * engine's native work holds it (DuckDB does not look at interrupts while it plans a query, a
 * query of tens of thousands of ORs plans for minutes, and exiting waits for it). The signal
 * is then raised again with its default action, so the process ends at once, as killed by it.
 * Unref'd: a process that ends on its own first is not held up.
 */
export function leaveAfterInterrupt(signal: NodeJS.Signals, graceMs = 1000): void {
  setTimeout(() => {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }, graceMs).unref();
}
