/**
 * Child process of the `hunt db` tests: opens the embedded store under HUNT_HOME (a client, as a
 * running hunt command is), prints the server's port, and holds it until SIGTERM, then closes.
 * Run with `node --import tsx`, HUNT_HOME set.
 */
import { sql } from 'slonik';
import { openDatabase } from '../../src/store/database.js';

const huntHome = process.env.HUNT_HOME;
if (!huntHome) throw new Error('HUNT_HOME is not set');
const db = await openDatabase({ huntHome });
const port = await db.pool.oneFirst(sql.unsafe`SELECT inet_server_port()`);
process.stdout.write(`port ${String(port)}\n`);
process.once('SIGTERM', () => {
  // the server may have been stopped under us (`hunt db stop --force`): closing must still work
  void db.close().then(
    () => process.exit(0),
    () => process.exit(3),
  );
});
setInterval(() => undefined, 60_000);
