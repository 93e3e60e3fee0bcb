/**
 * `hunt db status|stop`: the operator's view of the embedded Postgres of HUNT_HOME. The server is
 * shared by every hunt process and stopped by the last one to finish (see store/embedded.ts);
 * these are for looking, and for stopping it by hand (e.g. before moving HUNT_HOME).
 *
 * `stop` refuses while hunt processes hold leases on the server (exit 1, naming them), since
 * stopping would end their connections mid-work; `--force` stops it anyway.
 */
import { loadConfig } from '../../config/config.js';
import { json, type Io } from '../output.js';

export interface DbFlags {
  config?: string;
  json?: boolean;
  force?: boolean;
}

const urlNote = (env: NodeJS.ProcessEnv): string | undefined =>
  env.DATABASE_URL
    ? 'note: DATABASE_URL is set, so hunt uses that server; this is the embedded one, which it leaves alone'
    : undefined;

export async function dbStatusCommand(opts: DbFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(opts.config, env);
  const { embeddedReport } = await import('../../store/embedded-status.js');
  const r = await embeddedReport(config.huntHome);
  if (opts.json) {
    io.out(json({ databaseUrlSet: Boolean(env.DATABASE_URL), ...r }));
    return 0;
  }
  const lines = [
    `data dir     ${r.dataDir}${r.initialised ? '' : ' (not initialised yet)'}`,
    `server       ${r.running ? `${r.state} (pid ${r.pid}, port ${r.port})` : 'not running'}`,
    `server log   ${r.log}`,
    `clients      ${r.clients.length} hunt process${r.clients.length === 1 ? '' : 'es'}`,
    ...r.clients.map((c) => `  pid ${c.pid} since ${c.since}: ${JSON.stringify(c.command)}`),
  ];
  if (r.running) lines.push(`connections  ${r.connections ?? 'unknown'}`);
  const note = urlNote(env);
  if (note) lines.push(note);
  io.out(lines.join('\n'));
  return 0;
}

export async function dbStopCommand(opts: DbFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(opts.config, env);
  const { stopEmbeddedServer } = await import('../../store/embedded-status.js');
  const r = await stopEmbeddedServer(config.huntHome, { force: opts.force ?? false });
  const note = urlNote(env);
  if (note) io.err(note);
  if (opts.json) io.out(json(r));
  if (!r.stopped && r.clients.length > 0) {
    io.err(
      `hunt db stop: ${r.clients.length} hunt process${r.clients.length === 1 ? ' uses' : 'es use'} the server ` +
        `(pid ${r.clients.map((c) => c.pid).join(', ')}); it stops by itself when the last one ends. ` +
        'Stop them first, or give --force to end their connections.',
    );
    return 1;
  }
  if (!opts.json) io.out(r.stopped ? `stopped the embedded Postgres in ${r.dataDir}` : 'not running');
  return 0;
}
