/**
 * A detections directory with bad entries (a dangling symlink, a symlink loop, a directory
 * symlinked into itself) or two files with one id: every command that reads the directory
 * reports what is wrong, with the path, and goes on with the rest. The real CLI process, a
 * real lake and Postgres.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';
import { ct, iamUser } from '../support/events.js';
import { makeLake, type TestLake } from '../support/hunt.js';
import { storePerFile } from '../support/store.js';

const store = storePerFile();
const dir = mkdtempSync(join(tmpdir(), 'hunt-dir-entries-'));
const env = () => ({ DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') });
const STEM = 'aws_ecr_container_upload_unknown_user';
const SHIPPED = `detections/${STEM}.yml`;
const OTHER = 'aws_ecr_container_scanning_findings_medium';
const hour = ['--earliest', '2026-11-18T10:00:00Z', '--latest', '2026-11-18T11:00:00Z'];
const now = '2026-11-18T11:05:00Z';

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: [ct({ time: '2026-11-18T10:10:00Z', who: iamUser('mallory') })] });
  return () => lake.close();
});

/** one good detection, a dangling symlink, two symlinks pointing at each other, a directory linked into itself */
function badEntries(): string {
  const d = join(dir, 'bad');
  mkdirSync(join(d, 'sub'), { recursive: true });
  copyFileSync(SHIPPED, join(d, `${STEM}.yml`));
  symlinkSync(join(d, 'nowhere.yml'), join(d, 'dangling.yml'));
  symlinkSync(join(d, 'loop-b.yml'), join(d, 'loop-a.yml'));
  symlinkSync(join(d, 'loop-a.yml'), join(d, 'loop-b.yml'));
  symlinkSync(d, join(d, 'sub', 'again'));
  return d;
}

/** two files with one id and version (a copy under another name) and a third detection */
function duplicateIds(): string {
  const d = join(dir, 'dup');
  mkdirSync(d, { recursive: true });
  copyFileSync(SHIPPED, join(d, 'first.yml'));
  writeFileSync(
    join(d, 'second.yml'),
    readFileSync(SHIPPED, 'utf8').replace(/^name: .*$/m, 'name: Second Copy Under Another Name'),
  );
  copyFileSync(`detections/${OTHER}.yml`, join(d, `${OTHER}.yml`));
  return d;
}

// path and reason on one line (compile and lint print them so, schedule logs them as JSON)
const REPORTED = [/dangling\.yml\W.*cannot read: ENOENT/, /loop-a\.yml\W.*cannot read: ELOOP/];

describe('bad entries in a detections directory: reported, the rest goes on', () => {
  const d = badEntries();

  test('run', async () => {
    const r = await hunt(['run', STEM, '--detections', d, '--lake', lake.dir, '--no-store', '--json', ...hour], env());
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });

  test('run names the entry when RULE is the bad one', async () => {
    const r = await hunt(['run', 'dangling', '--detections', d, '--dry-run'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dangling\.yml: cannot read: ENOENT \(a symlink to nothing\)/);
  });

  test('compile', async () => {
    const r = await hunt(['compile', d], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 of 4 detections compiled/);
    for (const m of REPORTED) expect(r.stdout).toMatch(m);
  });

  test('lint', async () => {
    const r = await hunt(['lint', d], env());
    expect(r.stdout).toMatch(/4 detections: 3 errors, 0 warnings \(3 do not compile\)/);
    for (const m of REPORTED) expect(r.stdout).toMatch(m);
  });

  test('schedule --once', async () => {
    const r = await hunt(['schedule', '--once', '--detections', d, '--lake', lake.dir, '--now', now, '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    for (const m of REPORTED) expect(r.stderr).toMatch(m);
  });

  test('backfill --all', async () => {
    const r = await hunt(
      ['backfill', '--all', '--detections', d, '--lake', lake.dir, '--from', '2026-11-18T09:00:00Z', '--now', now],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    for (const m of REPORTED) expect(r.stderr).toMatch(m);
  });
});

/** one good detection beside a macros/ directory holding a dangling symlink */
function badMacroEntry(): string {
  const d = join(dir, 'bad-macro');
  mkdirSync(join(d, 'macros'), { recursive: true });
  copyFileSync(SHIPPED, join(d, `${STEM}.yml`));
  symlinkSync(join(d, 'macros', 'nowhere.yml'), join(d, 'macros', 'dangle.yml'));
  return d;
}

describe('a bad entry among the macros: reported, the detections still compile and run', () => {
  const d = badMacroEntry();
  const BAD_MACRO = /macros[/\\]dangle\.yml\W.*cannot read: ENOENT \(a symlink to nothing\)/;

  test('compile', async () => {
    const r = await hunt(['compile', d], env());
    expect(r.stdout).toMatch(BAD_MACRO);
    expect(r.stdout).toMatch(/^1 of \d+ detections compiled/m);
  });

  test('run', async () => {
    const r = await hunt(['run', STEM, '--detections', d, '--lake', lake.dir, '--no-store', '--json', ...hour], env());
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });
});

describe('two detections with one id and version: neither is run, both files named', () => {
  const d = duplicateIds();

  test.each([['Second Copy Under Another Name'], ['first']])('run %s: exit 2 naming both files', async (rule) => {
    const r = await hunt(['run', rule, '--detections', d, '--dry-run'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/first\.yml.*second\.yml|second\.yml.*first\.yml/);
  });

  test('a path is run as the file it is (no directory to compare with)', async () => {
    const r = await hunt(['run', join(d, 'second.yml'), '--dry-run'], env());
    expect(r.code, r.stderr).toBe(0);
  });

  test('the third detection still runs', async () => {
    const r = await hunt(['run', OTHER, '--detections', d, '--dry-run'], env());
    expect(r.code, r.stderr).toBe(0);
  });

  test('compile DIR: both reported, the other compiles', async () => {
    const r = await hunt(['compile', d, '--json'], env());
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { detections: { file: string; ok: boolean; error: string | null }[] };
    const by = (f: string) => doc.detections.find((x) => x.file.endsWith(f));
    expect(by('first.yml')?.error).toMatch(/is also the id and version of .*second\.yml/);
    expect(by('second.yml')?.error).toMatch(/is also the id and version of .*first\.yml/);
    expect(by(`${OTHER}.yml`)?.ok).toBe(true);
  });

  test('schedule --once: skips both with a reported error, runs the rest', async () => {
    const r = await hunt(['schedule', '--once', '--detections', d, '--lake', lake.dir, '--now', now, '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/first\.yml.*is also the id and version of/);
    expect(r.stderr).toMatch(/second\.yml.*is also the id and version of/);
  });
});
