/**
 * Hostile macros: expansion is bounded in depth, calls and size, and every error names the
 * macro and where it is defined (a config file, a macros YAML file).
 */
import { describe, expect, test } from 'vitest';
import { checkMacroValues } from '../../src/config/macro-values.js';
import { configMacros, LayeredMacros } from '../../src/detections/macros.js';
import { expandMacros, MAX_EXPANDED_LENGTH, MAX_MACRO_CALLS, type MacroDef } from '../../src/spl/macros.js';
import { SplError } from '../../src/spl/source.js';

const yamlMacro = (name: string, definition: string, args: string[] = []): MacroDef => ({
  name,
  args,
  definition,
  definedIn: `macros/${name}.yml`,
  external: false,
});

const expandError = (search: string, defs: MacroDef[]): SplError => {
  try {
    expandMacros(search, new LayeredMacros([defs]));
  } catch (e) {
    if (e instanceof SplError) return e;
    throw e;
  }
  throw new Error('expected an error');
};

describe('macro bombs', () => {
  test('20 macros each calling the next twice fail at once, naming the macro the search calls', () => {
    const defs = Array.from({ length: 20 }, (_, n) =>
      yamlMacro(`bomb${n + 1}`, n === 19 ? 'x=1' : `\`bomb${n + 2}\` \`bomb${n + 2}\``),
    );
    const started = Date.now();
    const e = expandError('index=main `bomb1`', defs);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.message).toMatch(
      new RegExp(
        `^macro \`bomb1\` \\(macros/bomb1.yml\\) makes more than ${MAX_MACRO_CALLS} macro calls \\(bomb1/0 → bomb2/0 → `,
      ),
    );
    // the span is the call in the search itself
    expect(e.span).toEqual({ start: 11, end: 18 });
  });

  test('an argument doubled at every level fails on the expanded size', () => {
    const defs = [
      yamlMacro('grow0', 'x=$a$', ['a']),
      ...Array.from({ length: 19 }, (_, n) => yamlMacro(`grow${n + 1}`, `\`grow${n}($a$$a$)\``, ['a'])),
    ];
    const e = expandError('`grow19("aaaaaaaaaaaaaaaa")`', defs);
    expect(e.message).toMatch(
      new RegExp(`^macro \`grow19\` \\(macros/grow19.yml\\) expands to more than ${MAX_EXPANDED_LENGTH} characters`),
    );
  });

  test('one definition repeating a large argument fails on the size before building it', () => {
    // 10,000 copies of a 100,000-character argument: a billion characters, past what a string holds
    const defs = [yamlMacro('repeat', '$a$ '.repeat(10_000), ['a'])];
    const e = expandError(`\`repeat("${'z'.repeat(100_000)}")\``, defs);
    expect(e.message).toMatch(/^macro `repeat` \(macros\/repeat.yml\) expands to more than/);
  });

  test('wide expansions are bounded as well as deep ones', () => {
    const defs = [yamlMacro('wide', 'y'.repeat(100_000)), yamlMacro('many', '`wide` '.repeat(20))];
    expect(expandError('`many`', defs).message).toMatch(/^macro `many` \(macros\/many.yml\) expands to more than/);
  });

  test('a realistic search expands untouched', () => {
    const defs = [yamlMacro('cloudtrail', 'sourcetype=aws:cloudtrail'), yamlMacro('f', 'search *')];
    expect(expandMacros('`cloudtrail` x=1 | `f`', new LayeredMacros([defs])).text).toBe(
      'sourcetype=aws:cloudtrail x=1 | search *',
    );
  });

  test('nesting deeper than the limit says so rather than claiming recursion', () => {
    const defs = Array.from({ length: 30 }, (_, n) => yamlMacro(`d${n}`, n === 29 ? 'x=1' : `\`d${n + 1}\``));
    expect(expandError('`d0`', defs).message).toMatch(/^macros nest more than 20 deep \(d0\/0 → d1\/0 → /);
  });
});

describe('macro arity', () => {
  test('a call with the wrong number of arguments names the macro and its file', () => {
    const defs = [yamlMacro('security_content_ctime', 'convert ctime($field$)', ['field'])];
    expect(expandError('x=1 | `security_content_ctime(a, b)`', defs).message).toBe(
      'unknown macro `security_content_ctime`(2 arguments); `security_content_ctime` takes 1 argument (in macros/security_content_ctime.yml)',
    );
  });

  test('a config macro names the config file', () => {
    const defs = configMacros({ users: { definition: 'user=$u$', arguments: ['u'] } }, '/etc/hunt/config.yml');
    expect(expandError('x=1 `users`', defs).message).toBe(
      'unknown macro `users`; `users` takes 1 argument (in /etc/hunt/config.yml)',
    );
  });

  test('every definition of the name is listed', () => {
    const defs = [yamlMacro('m', 'a=$x$', ['x']), yamlMacro('m', 'a=$x$ b=$y$', ['x', 'y'])];
    expect(expandError('`m(1, 2, 3)`', defs).message).toBe(
      'unknown macro `m`(3 arguments); `m` takes 1 argument (in macros/m.yml) or 2 arguments (in macros/m.yml)',
    );
  });

  test('a wrong call inside a macro names that macro too, and is placed at the call in the search', () => {
    const defs = [
      yamlMacro('ctime', 'convert ctime($field$)', ['field']),
      yamlMacro('outer', 'x=1 | `ctime(a, b)`'),
      yamlMacro('top', 'y=2 `outer`'),
    ];
    const e = expandError('z=3 | `top`', defs);
    expect(e.message).toBe(
      'unknown macro `ctime`(2 arguments); `ctime` takes 1 argument (in macros/ctime.yml), in the definition of macro `outer` (macros/outer.yml)',
    );
    expect(e.span).toEqual({ start: 6, end: 11 });
    expect(expandError('`top`', [yamlMacro('top', 'a `nope`')]).message).toBe(
      'unknown macro `nope`, in the definition of macro `top` (macros/top.yml)',
    );
  });

  test('a name defined nowhere is still an unknown macro', () => {
    expect(expandError('`nope(1)`', []).message).toBe('unknown macro `nope`(1 arguments)');
  });
});

describe('NUL characters', () => {
  test('in a config macro: refused when the configuration is read, naming the macro', () => {
    expect(checkMacroValues({ ok: 'x=1', users: 'userName=a\0b' })).toBe(
      'field `macros.users`: contains a NUL character (at column 11)',
    );
  });

  test('in a macro definition: refused at expansion, naming the macro and its file', () => {
    const defs = configMacros({ users: 'userName=a\0b' }, '/etc/hunt/config.yml');
    expect(expandError('x=1 `users`', defs).message).toBe(
      'macro `users` (/etc/hunt/config.yml) contains a NUL character, at column 11 of its definition',
    );
    expect(expandError('x=1 `y`', [yamlMacro('y', 'a=\0')]).message).toBe(
      'macro `y` (macros/y.yml) contains a NUL character, at column 3 of its definition',
    );
  });

  test('in the search itself', () => {
    const e = expandError('x=1\0', []);
    expect(e.message).toBe('the search contains a NUL character');
    expect(e.span).toEqual({ start: 3, end: 4 });
  });
});
