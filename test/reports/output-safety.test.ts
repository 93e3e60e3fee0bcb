/**
 * Report output from hostile event data: --csv cells that a spreadsheet would run as formulas
 * get a leading ' (OWASP CSV injection rule), numbers stay numbers; the terminal table shows
 * control characters escaped; --json is left as JSON writes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { saveRun } from '../../src/store/runs.js';
import { hunt } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { makeRun, riskEvent } from '../support/store-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-report-safety-'));
let database: TestDatabase;
let db: Database;
let env: NodeJS.ProcessEnv;

const HOSTILE = ['=1+2*cmd|calc!A0', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\tindent', '\rreturn'];
const CONTROL = 'red\u001b[31m bell\u0007 rtl\u202etxt.exe';

beforeAll(async () => {
  database = await createTestDatabase();
  env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: database.url };
  db = await openDatabase({ databaseUrl: database.url, huntHome: join(dir, 'home') });
  await saveRun(
    db.pool,
    makeRun({
      riskEvents: [...HOSTILE, CONTROL].map((o, i) =>
        riskEvent({ risk_object: o, risk_score: 100 - i, risk_time: '2024-03-01T01:00:00Z' }),
      ),
    }),
  );
});
afterAll(async () => {
  await db.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hunt report risk --csv', () => {
  test("cells starting with = + - @ tab or CR get a leading '; scores stay numbers", async () => {
    const r = await hunt(['report', 'risk', '--csv', '--since', '2024-03-01'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    for (const [i, o] of HOSTILE.entries()) {
      const row = lines.find((l) => l.includes(o.slice(1)));
      expect(row, o).toBeDefined();
      expect(row?.replace(/^"/, '').startsWith(`'${o[0]}`), row).toBe(true);
      expect(row).toContain(`,${100 - i},1,`);
    }
    // a plain value is untouched
    expect(r.stdout).toMatch(/\r\nred\u001b\[31m bell/);
  });
});

describe('hunt report risk (table)', () => {
  test('control characters in data are shown escaped; --json keeps them', async () => {
    const r = await hunt(['report', 'risk', '--since', '2024-03-01'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('red\\u001b[31m bell\\u0007 rtl\\u202etxt.exe');
    expect(r.stdout).toContain('\\tindent');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    const j = await hunt(['report', 'risk', '--since', '2024-03-01', '--json'], env);
    const objects = (JSON.parse(j.stdout) as { objects: { risk_object: string }[] }).objects;
    expect(objects.map((o) => o.risk_object)).toContain(CONTROL);
  });
});
