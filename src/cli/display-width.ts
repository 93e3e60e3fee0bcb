import stringWidth from 'string-width';

/**
 * Columns a string takes on a terminal, so table borders line up: East Asian wide and
 * fullwidth characters and emoji take two, combining marks none. string-width (what cli-table3
 * measured with) does the Unicode work; ASCII, nearly every cell, skips it.
 */
const ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}
