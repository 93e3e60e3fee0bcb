/**
 * Every time flag refuses a time past year 9999 with exit 2, naming the flag and the supported
 * range, before anything runs (nothing here reaches a lake or a database).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';

const RULE = 'AWS ECR Container Upload Unknown User';
// 10000-01-01T00:00:00Z in epoch seconds
const Y10K = '253402300800';
const env = {
  HUNT_HOME: mkdtempSync(join(tmpdir(), 'hunt-range-')),
  // a database nobody listens on: reaching it would be a failure of its own (exit 1)
  DATABASE_URL: 'postgres://hunt@127.0.0.1:9/none',
};
const RANGE = 'outside the supported time range, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

describe('time flags past year 9999: exit 2 naming the flag and the range', () => {
  test.each([
    ['--latest', ['run', RULE, '--dry-run', '--earliest', '-1h', '--latest', Y10K]],
    ['--earliest', ['run', RULE, '--dry-run', '--earliest', '+8000y', '--latest', '+8001y']],
    ['--now', ['run', RULE, '--dry-run', '--now', Y10K]],
    ['--from', ['backfill', RULE, '--from', Y10K]],
    ['--to', ['backfill', RULE, '--from', '-1d', '--to', '+8000y']],
    ['--since', ['report', 'risk', '--since', '+8000y']],
    ['--until', ['report', '--html', join(env.HUNT_HOME, 'r.html'), '--until', Y10K]],
  ])('%s', async (flag, args) => {
    const r = await hunt(args, env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toContain(RANGE);
  });
});
