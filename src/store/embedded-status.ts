/**
 * What `hunt db status` and `hunt db stop` need: the embedded cluster of a HUNT_HOME, whether its
 * server runs, the hunt processes using it, and how many connections it has. Looking never
 * starts the server nor takes a lease.
 */
import { join } from 'node:path';
import { createPool, sql } from 'slonik';
import { embeddedDataDir } from './database.js';
import { type Client, runDir } from './embedded-clients.js';
import { embeddedCredentials, embeddedStatus, embeddedUrl, stopEmbedded } from './embedded.js';

export interface EmbeddedReport {
  dataDir: string;
  /** the server's output (truncated at each start) */
  log: string;
  initialised: boolean;
  running: boolean;
  pid: number | null;
  port: number | null;
  /** "ready", "starting", "stopping" (postmaster.pid) */
  state: string | null;
  /** hunt processes holding a lease */
  clients: Client[];
  /** client connections to the server (any user, any database); null when not running or not countable */
  connections: number | null;
}

export async function embeddedReport(huntHome: string): Promise<EmbeddedReport> {
  const status = await embeddedStatus(embeddedDataDir(huntHome));
  const server = status.server;
  return {
    dataDir: status.dataDir,
    log: join(runDir(status.dataDir), 'server.log'),
    initialised: status.initialised,
    running: server !== undefined,
    pid: server?.pid ?? null,
    port: server?.port ?? null,
    state: server?.status ?? null,
    clients: status.clients,
    connections: server?.status === 'ready' ? await connections(status.dataDir, server.port) : null,
  };
}

/** Client backends other than this one; null if the server cannot be asked (stopping meanwhile). */
async function connections(dataDir: string, port: number): Promise<number | null> {
  try {
    const url = embeddedUrl(await embeddedCredentials(dataDir), port, 'postgres');
    const pool = await createPool(url, { maximumPoolSize: 1, connectionTimeout: 5_000 });
    try {
      return Number(
        await pool.oneFirst(sql.unsafe`
          SELECT count(*)::int FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`),
      );
    } finally {
      await pool.end();
    }
  } catch {
    return null;
  }
}

/** Stops the HUNT_HOME's embedded server; see stopEmbedded for `force`. */
export async function stopEmbeddedServer(
  huntHome: string,
  opts: { force: boolean },
): Promise<{ dataDir: string; stopped: boolean; clients: Client[] }> {
  const dataDir = embeddedDataDir(huntHome);
  return { dataDir, ...(await stopEmbedded(dataDir, opts)) };
}
