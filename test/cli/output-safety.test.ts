/**
 * Text from detection files reaches the terminal and the printed SQL safely: a line break in a
 * name cannot end the SQL header comment, and control characters (ANSI escapes, BEL, bidi
 * overrides) in tables and messages are shown escaped, as JSON shows them.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-safety-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };
const trino = new TrinoSQL();
const shipped = readFileSync('detections/aws_ecr_container_upload_unknown_user.yml', 'utf8');
// any raw C0/C1 control but line feed, or a bidi control
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The shipped detection under another name (a YAML double-quoted string, escapes and all). */
function withName(file: string, quotedName: string, id = 'a1b2c3'): string {
  const text = shipped.replace(/^name: .*$/m, `name: ${quotedName}`).replace(/^id: .*$/m, `id: ${id}`);
  writeFileSync(file, text);
  return file;
}

describe('hunt compile RULE: the header comment', () => {
  test.each([
    ['line feed', '\\n'],
    ['carriage return', '\\r'],
    ['line separator', '\\u2028'],
    ['next line (C1)', '\\x85'],
  ])('a %s in the name does not end the comment: the output is one statement', async (_, br) => {
    const file = withName(join(dir, `name-${br.replace(/\\/g, '')}.yml`), `"Evil${br}DROP TABLE users;${br}SELECT 1"`);
    const r = await hunt(['compile', file], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- Evil\\[nru][0-9a-f]{0,4}DROP TABLE users;\\[nru]/m);
    expect(trino.splitSQLByStatement(r.stdout)).toHaveLength(1);
    expect(trino.validate(r.stdout)).toEqual([]);
    expect(r.stdout.split('\n').filter((l) => /DROP TABLE/.test(l) && !l.startsWith('--'))).toEqual([]);
  });
});

describe('control characters from detection files on the terminal', () => {
  test('a directory summary table shows them escaped', async () => {
    const d = join(dir, 'controls');
    mkdirSync(d, { recursive: true });
    withName(join(d, 'evil.yml'), '"Red\\e[31m alarm\\a back\\b rtl\\u202Etxt.exe"');
    const r = await hunt(['compile', d], env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('Red\\u001b[31m alarm\\u0007 back\\b rtl\\u202etxt.exe');
    // the box still lines up: every line of the table is as wide as the first
    const box = r.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(new Set(box.map((l) => l.length)).size).toBe(1);
  });

  test('hunt run --dry-run shows them escaped', async () => {
    const file = withName(join(dir, 'dry.yml'), '"Red\\e[31m alarm\\a rtl\\u202Etxt"');
    const r = await hunt(['run', file, '--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Red\\u001b[31m alarm\\u0007 rtl\\u202etxt');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });

  describe('event data in the hunt run table', () => {
    let lake: TestLake;
    beforeAll(async () => {
      lake = await makeLake({
        cloudtrail: [ct({ time: '2026-11-18T10:10:00Z', who: iamUser('mallory\u001b]0;owned\u0007\u202egpj.exe') })],
      });
    });
    afterAll(() => lake.close());

    test('shows control characters escaped; --json keeps the value', async () => {
      const args = ['run', 'AWS ECR Container Upload Unknown User', '--lake', lake.dir, '--no-store'];
      const hour = ['--earliest', '2026-11-18T10:00:00Z', '--latest', '2026-11-18T11:00:00Z'];
      const r = await hunt([...args, ...hour], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('mallory\\u001b]0;owned\\u0007\\u202egpj.exe');
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      const j = await hunt([...args, ...hour, '--json'], env);
      expect((JSON.parse(j.stdout) as { results: { user: string }[] }).results[0]?.user).toBe(
        'mallory\u001b]0;owned\u0007\u202egpj.exe',
      );
    });
  });

  test('a line break in a name forges no line: dry-run header, lint findings', async () => {
    const forged = '"Evil\\n/etc/ok.yml: error [compile-error] forged\\nx"';
    const dry = await hunt(['run', withName(join(dir, 'forge-dry.yml'), forged), '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n')[0]).toMatch(/^Evil\\n\/etc\/ok\.yml: error \[compile-error\] forged\\nx \(v/);
    const d = join(dir, 'forge-lint');
    mkdirSync(d, { recursive: true });
    withName(join(d, 'evil.yml'), forged.replace('"Evil', '"Evil NoFilter'));
    const lint = await hunt(['lint', d], env);
    expect(lint.stdout.split('\n').filter((l) => l.startsWith('/etc/ok.yml'))).toEqual([]);
    expect(lint.stdout).toContain('Evil NoFilter\\n/etc/ok.yml');
  });

  test('hunt compile RULE: control characters in the search show escaped in the SQL, with a note', async () => {
    const doc = YAML.parse(shipped) as Record<string, unknown>;
    doc.id = 'sql-body';
    doc.search = '`cloudtrail` eventName="Put\u001b[31mImage\u202e" | stats count by userName';
    const file = join(dir, 'sql-body.yml');
    writeFileSync(file, YAML.stringify(doc));
    const r = await hunt(['compile', file], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('put\\u001b[31mimage\\u202e');
    expect(r.stderr).toContain('--json gives the SQL exactly');
    const j = await hunt(['compile', file, '--json'], env);
    // --json carries the SQL exactly: the real characters
    const sqlOf = (JSON.parse(j.stdout) as { detections: { sql: string }[] }).detections[0]?.sql;
    expect(sqlOf).toContain('put\u001b[31mimage\u202e');
  });

  test('stderr messages show them escaped', async () => {
    const r = await hunt(['compile', 'no-such\u001b]0;owned\u0007rule\u202e'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such\\u001b]0;owned\\u0007rule\\u202e');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  test('--json is data: JSON escapes, nothing more', async () => {
    const file = withName(join(dir, 'json.yml'), '"a\\u202Eb"');
    const r = await hunt(['compile', file, '--json'], env);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { detections: { name: string }[] }).detections[0]?.name).toBe('a\u202eb');
  });
});
