/**
 * Child process of test/store/database.test.ts: opens the embedded store under HUNT_HOME
 * (starting its server), prints the server's port, and SIGKILLs itself — the server is left
 * running with nobody to stop it, as after a crashed `hunt`.
 * Run with `node --import tsx`, HUNT_HOME set.
 */
import { sql } from 'slonik';
import { openDatabase } from '../../src/store/database.js';

const huntHome = process.env.HUNT_HOME;
if (!huntHome) throw new Error('HUNT_HOME is not set');
const db = await openDatabase({ huntHome });
const port = await db.pool.oneFirst(sql.unsafe`SELECT inet_server_port()`);
await new Promise<void>((resolve) => process.stdout.write(`port ${String(port)}\n`, () => resolve()));
process.kill(process.pid, 'SIGKILL');
