/** The one function that shows control characters escaped at the terminal edges (and in SQL headers). */
import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/cli/display-width.js';
import { escapeControls, escapeControlsKeepLines } from '../../src/text/escape-controls.js';

describe('escapeControls', () => {
  test.each([
    ['ESC (an ANSI sequence)', '\u001b[31m', '\\u001b[31m'],
    ['BEL', '\u0007', '\\u0007'],
    ['backspace', '\b', '\\b'],
    ['NUL', '\u0000', '\\u0000'],
    ['DEL', '\u007f', '\\u007f'],
    ['C1: CSI', '\u009b', '\\u009b'],
    ['C1: NEL', '\u0085', '\\u0085'],
    ['right-to-left override', '\u202e', '\\u202e'],
    ['left-to-right embedding', '\u202a', '\\u202a'],
    ['first strong isolate', '\u2068', '\\u2068'],
    ['right-to-left mark', '\u200f', '\\u200f'],
    ['Arabic letter mark', '\u061c', '\\u061c'],
    ['line separator', '\u2028', '\\u2028'],
    ['line feed', '\n', '\\n'],
    ['carriage return', '\r', '\\r'],
    ['tab', '\t', '\\t'],
  ])('%s', (_, raw, shown) => {
    expect(escapeControls(`a${raw}b`)).toBe(`a${shown}b`);
  });

  test('printable text is untouched: accents, CJK, emoji with joiners', () => {
    const text = 'café 日本 👩‍💻 ✓ "quoted" \\u001b';
    expect(escapeControls(text)).toBe(text);
  });

  test('messages keep their own line feeds and tabs, nothing else', () => {
    expect(escapeControlsKeepLines('one\n\ttwo\r\u001b[2J')).toBe('one\n\ttwo\\r\\u001b[2J');
  });
});

describe('displayWidth', () => {
  test.each([
    ['abc', 3],
    ['日本', 4],
    ['café', 4],
    ['e\u0301', 1],
    ['👩‍💻', 2],
  ])('%s is %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});
