import { loadConfig } from '../../config/config.js';
import { withHistory } from '../history.js';
import type { Io } from '../output.js';

/** `hunt migrate`: opening the database applies pending migrations. */
export async function migrateCommand(io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(undefined, env);
  const applied = await withHistory(config, env, async (h) => h.migrated);
  io.out(applied.length ? `applied ${applied.join(', ')}` : 'the database schema is up to date');
  return 0;
}
