/**
 * `hunt compile` against hostile macros, as a user runs it: a macro bomb fails in seconds
 * with exit 2 naming the macro; arity and NUL errors name the macro and the file it is in.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hunt } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-cli-macro-limits-'));
const env = { HUNT_HOME: join(dir, 'home'), DATABASE_URL: '' };

/** A detections directory with `search` as its one detection and `macros` as macros/NAME.yml files. */
function detections(name: string, search: string, macros: Record<string, string>): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'macros'), { recursive: true });
  writeFileSync(join(d, `${name}.yml`), `name: ${name}\nid: ${name}\nversion: 1\nsearch: ${JSON.stringify(search)}\n`);
  for (const [m, definition] of Object.entries(macros)) {
    writeFileSync(join(d, 'macros', `${m}.yml`), `name: ${m}\ndefinition: ${JSON.stringify(definition)}\n`);
  }
  writeFileSync(join(d, 'macros', 'cloudtrail.yml'), 'name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\n');
  return d;
}

describe('hunt compile with hostile macros', () => {
  test('a macro bomb (20 macros each calling the next twice) exits 2 within seconds, naming the macro', async () => {
    const bombs = Object.fromEntries(
      Array.from({ length: 20 }, (_, n) => [
        `bomb${n + 1}`,
        n === 19 ? 'eventName=x' : `\`bomb${n + 2}\` \`bomb${n + 2}\``,
      ]),
    );
    const d = detections('bomb', '`cloudtrail` `bomb1` | stats count by eventName', bombs);
    const started = Date.now();
    const r = await hunt(['compile', join(d, 'bomb.yml')], env, { timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`macro \`bomb1\` (${join(d, 'macros', 'bomb1.yml')}) makes more than`);
    expect(r.stderr).toContain('(at line 1, column 14 of the search)');

    // the directory as a whole: the bomb is that detection's failure, the command goes on
    const all = await hunt(['compile', d], env, { timeoutMs: 60_000 });
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/bomb\.yml: macro `bomb1` .* makes more than \d+ macro calls/);
  });

  test('a call with the wrong number of arguments names the macro and its file', async () => {
    const d = detections('arity', '`cloudtrail` | `ctime(a, b)`', {});
    writeFileSync(
      join(d, 'macros', 'ctime.yml'),
      'name: ctime\narguments: [field]\ndefinition: convert ctime($field$)\n',
    );
    const r = await hunt(['compile', join(d, 'arity.yml')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `unknown macro \`ctime\`(2 arguments); \`ctime\` takes 1 argument (in ${join(d, 'macros', 'ctime.yml')})`,
    );
  });

  test('a config macro called with the wrong number of arguments names the config file', async () => {
    const d = detections('config_arity', '`cloudtrail` `users`', {});
    const config = join(dir, 'arity-config.yml');
    writeFileSync(config, 'macros:\n  users:\n    definition: userName=$u$\n    arguments: [u]\n');
    const r = await hunt(['compile', join(d, 'config_arity.yml'), '--config', config], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown macro \`users\`; \`users\` takes 1 argument (in ${config})`);
  });

  test('a NUL character in a config macro is refused naming the file and the macro', async () => {
    const d = detections('nul', '`cloudtrail` `users` | stats count by userName', {});
    const config = join(dir, 'nul-config.yml');
    writeFileSync(config, 'macros:\n  users: "userName=a\\0b"\n');
    const r = await hunt(['compile', join(d, 'nul.yml'), '--config', config], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${config}: field \`macros.users\`: contains a NUL character (at column 11)`);
  });

  test('a NUL character in a macros file names the macro and the file', async () => {
    const d = detections('nul_yaml', '`cloudtrail` `users` | stats count by userName', { users: 'userName=a\0b' });
    const r = await hunt(['compile', join(d, 'nul_yaml.yml')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `macro \`users\` (${join(d, 'macros', 'users.yml')}) contains a NUL character, at column 11 of its definition`,
    );
  });
});
