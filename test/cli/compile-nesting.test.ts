/**
 * `hunt compile` on searches nested thousands deep, as a user runs it: exit 2 with the file,
 * the reason and the position, not a stack overflow.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hunt } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-nesting-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };

test.each([
  ['search', `eventName=x ${'('.repeat(5000)}a=1${')'.repeat(5000)}`, 'parentheses and NOT nest more than', 13],
  [
    'where',
    `eventName=x | where ${'('.repeat(5000)}a=1${')'.repeat(5000)}`,
    'parentheses, NOT, signs and function calls nest more than',
    21,
  ],
])('5,000 nested parentheses in %s: exit 2 naming the file and the position', async (name, search, message, at) => {
  mkdirSync(join(dir, name, 'macros'), { recursive: true });
  writeFileSync(
    join(dir, name, 'macros', 'cloudtrail.yml'),
    'name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\n',
  );
  const file = join(dir, name, `${name}.yml`);
  writeFileSync(file, `name: deep\nid: deep\nversion: 1\nsearch: '\`cloudtrail\` ${search}'\n`);
  const r = await hunt(['compile', file], env);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain('call stack');
  // the column of the first parenthesis past the limit, after `cloudtrail` and a space
  expect(r.stderr).toContain(`hunt: ${file}: ${message}`);
  expect(r.stderr).toContain(`(at line 1, column ${13 + at + 200} of the search)`);
});
