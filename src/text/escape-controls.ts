/**
 * Control characters from data, shown escaped as JSON shows them (ESC → `\u001b`), so text
 * from events, detections or errors cannot drive a terminal (ANSI sequences, BEL, backspace),
 * reorder what is shown (bidi controls such as the right-to-left override U+202E) or break
 * out of a line (a `--` SQL comment, a table cell).
 *
 * Escaped: C0 controls and DEL, C1 controls (U+0080–U+009F, NEL among them), the Unicode line
 * and paragraph separators, and the bidi controls (ALM, LRM, RLM, LRE–RLO, LRI–PDI).
 */

// Written as a string so the pattern's source holds no raw control characters.
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const ALL = new RegExp(`[${CONTROLS}]`, 'gu');
/** the same, less line feed and tab: messages keep their own lines */
const BUT_LINES = new RegExp(`(?![\\n\\t])[${CONTROLS}]`, 'gu');

// JSON's short forms where it has one (\n, \t, ...), else \uXXXX
const SHORT: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escaped = (c: string): string => SHORT[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/** Every control character escaped, line breaks too: one line, safe inside a table cell or a comment. */
export const escapeControls = (text: string): string => text.replace(ALL, escaped);

/** Control characters escaped except line feed and tab (a message's own layout). */
export const escapeControlsKeepLines = (text: string): string => text.replace(BUT_LINES, escaped);

/**
 * Text meant to be copied as it is (SQL), shown on a terminal: control characters escaped but
 * its own lines kept, and whether anything was escaped, so the caller can say the shown text
 * differs from the real one.
 */
/** What a command says on stderr when the SQL it printed had control characters escaped. */
export const ESCAPED_NOTE =
  'note: control characters in this SQL are shown escaped (\\u001b, ...); --json gives the SQL exactly';

export function shownOnTerminal(text: string): { text: string; escaped: boolean } {
  const shown = escapeControlsKeepLines(text);
  return { text: shown, escaped: shown !== text };
}
