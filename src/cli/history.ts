import type { HuntConfig } from '../config/config.js';
import type { Database } from '../store/database.js';
import type { RiskReportRow, RunRecord, RunTrigger } from '../store/model.js';
import type { IncidentReportRow } from '../store/reports-incidents.js';
import type { LookupStore } from '../store/lookup-store.js';

/** The stored history as commands use it. */
export interface History {
  /** migrations applied when the database was opened */
  migrated: string[];
  saveRun(run: RunRecord): Promise<{ runId: string; replaced: boolean }>;
  deleteRuns(where: { trigger: RunTrigger }): Promise<number>;
  riskReport(opts: { since?: string; until?: string }): Promise<RiskReportRow[]>;
  incidents(opts: { since?: string }): Promise<IncidentReportRow[]>;
  /** the lookups outputlookup wrote */
  lookups: LookupStore;
}

/** Opens Postgres (DATABASE_URL, else the embedded one), runs `fn`, closes it again. */
export async function withHistory<T>(
  config: HuntConfig,
  env: NodeJS.ProcessEnv,
  fn: (h: History) => Promise<T>,
): Promise<T> {
  const [{ riskReport }, { incidentsReport }, { deleteRuns, saveRun }, { postgresLookups }] = await Promise.all([
    import('../store/reports.js'),
    import('../store/reports-incidents.js'),
    import('../store/runs.js'),
    import('../store/lookups.js'),
  ]);
  return withDatabase(config, env, (db) =>
    fn({
      migrated: db.migrated,
      saveRun: (run) => saveRun(db.pool, run, { incidentRules: config.incidentRules }),
      deleteRuns: (where) => deleteRuns(db.pool, where),
      riskReport: (opts) => riskReport(db.pool, opts),
      incidents: (opts) => incidentsReport(db.pool, opts),
      lookups: postgresLookups(db.pool),
    }),
  );
}

/**
 * The database itself, for commands that work on the ledger (schedule, backfill, status).
 * `schema`: commands that write migrate; commands that only read pass 'check' (no DDL, so a
 * SELECT-only role can run them; a schema behind names `hunt migrate`).
 */
export async function withDatabase<T>(
  config: HuntConfig,
  env: NodeJS.ProcessEnv,
  fn: (db: Database) => Promise<T>,
  schema: 'migrate' | 'check' = 'migrate',
): Promise<T> {
  // loaded here, not at startup: only commands that store or report pay for Postgres
  const { openDatabase } = await import('../store/database.js');
  const db = await openDatabase({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    huntHome: config.huntHome,
    schema,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
