import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Names a runner in the ledger's claims: host, pid and a random part (pids are reused). */
export const runnerName = (role = 'schedule'): string =>
  `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}:${role}`;
