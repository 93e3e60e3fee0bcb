/**
 * Whether the `postgres` user can enter a directory, as the kernel decides it: the first class
 * that matches the user (owner, else group, else other) alone counts.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { blockedDir } from '../../src/store/reachable.js';

const top = mkdtempSync(join(tmpdir(), 'hunt-reachable-'));
chmodSync(top, 0o755);
afterAll(() => rmSync(top, { recursive: true, force: true }));

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

function dirWith(mode: number): string {
  const d = mkdtempSync(join(top, 'd-'));
  chmodSync(d, mode);
  return d;
}

describe('blockedDir', () => {
  test('the owner without x is blocked, though others may enter', () => {
    const d = dirWith(0o601);
    expect(blockedDir(d, { uid, gids: [gid] })).toEqual({ dir: d, mode: 0o601 });
  });

  test('a member of the group without group x is blocked, though others may enter', () => {
    const d = dirWith(0o701);
    expect(blockedDir(d, { uid: uid + 1, gids: [gid] })).toEqual({ dir: d, mode: 0o701 });
  });

  test('the group with x, or anyone else with other x, may enter', () => {
    expect(blockedDir(dirWith(0o710), { uid: uid + 1, gids: [gid] })).toBeUndefined();
    expect(blockedDir(dirWith(0o701), { uid: uid + 1, gids: [gid + 1] })).toBeUndefined();
    expect(blockedDir(dirWith(0o755), undefined)).toBeUndefined();
  });
});
