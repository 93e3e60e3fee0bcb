/**
 * A time modifier (`earliest=`/`latest=` text, `--now`) that cannot be understood. The message
 * quotes the whole text and points at the first character that is wrong, because modifiers
 * arrive from detection YAML and command lines where the user has to find the typo.
 */
export class TimeModifierError extends Error {
  override readonly name = 'TimeModifierError';

  constructor(
    /** the text as given */
    readonly text: string,
    /** 0-based index into `text` of the problem */
    readonly position: number,
    /** what is wrong there */
    readonly reason: string,
  ) {
    super(`invalid time modifier ${JSON.stringify(text)}: ${reason} at position ${position}${pointer(text, position)}`);
  }
}

/** `  -70x@m\n     ^` under the message, when the text fits on a line. */
function pointer(text: string, position: number): string {
  if (text.length === 0 || text.length > 80 || /[\r\n]/.test(text)) return '';
  return `\n  ${text}\n  ${' '.repeat(Math.min(position, text.length))}^`;
}
