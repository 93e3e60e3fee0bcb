/** "a", "a or b", "a, b or c": names listed for a message. */
export const orList = (names: readonly string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
