/**
 * Bad flag values are bad input: exit 2 with a message naming the flag, checked before any
 * database is opened (DATABASE_URL points nowhere here, so reaching it would exit 1).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-flags-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

describe('numeric flags: one parser, exit 2 naming the flag', () => {
  const HUGE = ['1e400', '99999999999999999999', '9007199254740993', '-1', '2.5', '0x10', '', ' 3'];
  const cases: [string[], string][] = [
    ...HUGE.map((v): [string[], string] => [['report', 'risk', '--limit', v], '--limit']),
    ...HUGE.map((v): [string[], string] => [['report', 'incidents', '--limit', v], '--limit']),
    ...HUGE.map((v): [string[], string] => [['demo', '--days', v], '--days']),
    ...HUGE.map((v): [string[], string] => [['report', 'html', join(dir, 'r.html'), '--top', v], '--top']),
    [['demo', '--days', '32'], '--days'],
    [['report', 'html', join(dir, 'r.html'), '--top', '51'], '--top'],
    [['prune', '--older-than', '99999999999999999999d'], '--older-than'],
    [['prune', '--older-than', '400000000d'], '--older-than'],
  ];
  test.each(cases)('%j', async (args, flag) => {
    const r = await hunt(args, env);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).not.toMatch(/Postgres|ECONNREFUSED|Invalid|RangeError/);
    expect(r.code).toBe(2);
  });
});

describe('--since after --until', () => {
  test.each([
    ['risk', []],
    ['detections', []],
    ['incidents', []],
    ['object', ['alice']],
  ])('report %s: exit 2 naming both flags', async (report, rest) => {
    const r = await hunt(['report', report, ...rest, '--since', '2024-03-02', '--until', '2024-03-01'], env);
    expect(r.stderr).toMatch(/--since 2024-03-02 .* is not before --until 2024-03-01/);
    expect(r.code).toBe(2);
  });

  test('equal ends are an empty range: exit 2 too', async () => {
    const r = await hunt(['report', 'risk', '--since', '-1d@d', '--until', '-1d@d'], env);
    expect(r.code).toBe(2);
  });
});
