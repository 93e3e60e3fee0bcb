/**
 * The SPL parser's entry: a macro-expanded search → its pipeline of commands. The pipeline
 * is split at pipes (lexer.ts), each command parsed by its own parser (commands/), over the
 * search grammar (search-grammar.ts) and the eval grammar (eval-grammar.ts).
 */
import type { Command, EvalExpr, Pipeline, Subsearch } from './ast.js';
import { commandParser, refusedBecause } from './commands/index.js';
import { Cursor, Nesting, type ParseContext } from './cursor.js';
import { parseWholeEval } from './eval-grammar.js';
import { lexEval, splitPipeline, type CommandText, type Token } from './lexer.js';
import { SplError, type SplSource } from './source.js';

export { MAX_NESTING } from './cursor.js';
export { MAX_EXPR_DEPTH } from './eval-grammar.js';

/** Parses a macro-expanded search into a pipeline of commands. Unknown commands are errors. */
export function parsePipeline(src: SplSource): Pipeline {
  return parseCommands(context(src), splitPipeline(src.text));
}

/** An eval expression from its own text (the add-on field definitions in src/sources). */
export function parseEvalText(src: SplSource): EvalExpr {
  return parseWholeEval(new Cursor(lexEval(src.text, 0, src.text.length), context(src), 'eval', src.text.length));
}

function context(src: SplSource): ParseContext {
  const ctx: ParseContext = { src, nesting: new Nesting(), subsearch: (t) => parseSubsearch(t, ctx) };
  return ctx;
}

function parseCommands(ctx: ParseContext, texts: CommandText[]): Pipeline {
  const commands: Command[] = [];
  for (const ct of texts) {
    const parse = commandParser(ct.name);
    if (!parse) {
      const why = refusedBecause(ct.name);
      throw new SplError(`unsupported command \`${ct.name}\`${why ? ` (${why})` : ''}`, ct.nameSpan);
    }
    commands.push(parse(ct, ctx));
  }
  return { commands };
}

/** Commands that make rows of their own, so a search or subsearch may start with them. */
const GENERATING = ['inputlookup'];

/**
 * A bracketed subsearch: `[search ...]` or `[| search ...]`. Its first command is its base
 * search (the leading `search` keyword is optional, as in Splunk).
 */
function parseSubsearch(t: Token, ctx: ParseContext): Subsearch {
  const text = ctx.src.text;
  const texts = splitPipeline(text, t.span.start + 1, t.span.end - 1);
  const first = texts[0];
  if (!first) throw new SplError('empty subsearch', t.span);
  if (first.base) {
    const m = /^search(?=\s|$)/i.exec(text.slice(first.argsStart, first.end));
    if (m) first.argsStart += m[0].length;
  } else if (first.name === 'search') {
    first.base = true;
  } else if (commandParser(first.name) && !GENERATING.includes(first.name)) {
    throw new SplError(`a subsearch must start with a search or inputlookup, not \`${first.name}\``, first.nameSpan);
  }
  ctx.nesting.enter(t.span, 'subsearches');
  const pipeline = parseCommands(ctx, texts);
  ctx.nesting.leave();
  return { pipeline, span: t.span };
}
