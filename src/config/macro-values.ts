import { lexSearch } from '../spl/lexer.js';

type MacroEntry = string | { definition: string; arguments?: string[] };

/** The longest parameter text an engine takes (the engine registry's parameterLimits()). */
export interface ParameterLimit {
  engine: string;
  maxLength: number;
  /** the longest literal a value can become in that engine's parameters */
  worstLength(value: string): number;
}

/**
 * Values from configuration become parameters, and an engine may limit a parameter's literal
 * text (Athena: 1024 characters, quotes, doubled quotes and LIKE escapes included). A macro
 * value that cannot fit is refused when the configuration is read, naming the macro, rather
 * than by Athena at run time. So is a NUL character, which neither Athena nor Postgres takes
 * in text. Malformed definitions are left to the compiler, which says where they are wrong.
 */
export function checkMacroValues(
  macros: Record<string, MacroEntry>,
  limits: ParameterLimit[] = [],
): string | undefined {
  for (const [name, entry] of Object.entries(macros)) {
    const text = typeof entry === 'string' ? entry : entry.definition;
    const nul = text.indexOf('\0');
    if (nul >= 0) return `field \`macros.${name}\`: contains a NUL character (at column ${nul + 1})`;
    let tokens: ReturnType<typeof lexSearch>;
    try {
      tokens = lexSearch(text, 0, text.length);
    } catch {
      continue;
    }
    for (const t of tokens) {
      if (t.kind !== 'word' && t.kind !== 'str') continue;
      for (const { engine, maxLength, worstLength } of limits) {
        const longest = worstLength(t.value);
        if (longest > maxLength)
          return `field \`macros.${name}\`: a value of ${t.value.length} characters (at column ${t.span.start + 1}) is ${longest} characters as an ${engine} parameter; ${engine} takes at most ${maxLength}`;
      }
    }
  }
  return undefined;
}
