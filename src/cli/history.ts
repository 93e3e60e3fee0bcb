import type { HuntConfig } from '../config/config.js';
import { openDatabase } from '../store/database.js';
import type { RiskReportRow, RunRecord, RunTrigger } from '../store/model.js';
import { riskReport } from '../store/reports.js';
import { deleteRuns, saveRun } from '../store/runs.js';

/** The stored history as commands use it. */
export interface History {
  /** migrations applied when the database was opened */
  migrated: string[];
  saveRun(run: RunRecord): Promise<{ runId: string; replaced: boolean }>;
  deleteRuns(where: { trigger: RunTrigger }): Promise<number>;
  riskReport(opts: { since?: string; until?: string }): Promise<RiskReportRow[]>;
}

/** Opens Postgres (DATABASE_URL, else the embedded one), runs `fn`, closes it again. */
export async function withHistory<T>(config: HuntConfig, env: NodeJS.ProcessEnv, fn: (h: History) => Promise<T>): Promise<T> {
  const db = await openDatabase({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), huntHome: config.huntHome });
  try {
    return await fn({
      migrated: db.migrated,
      saveRun: (run) => saveRun(db.pool, run),
      deleteRuns: (where) => deleteRuns(db.pool, where),
      riskReport: (opts) => riskReport(db.pool, opts),
    });
  } finally {
    await db.close();
  }
}
