import type { AnyCommandParser } from '../cursor.js';
import { parseAnomalydetection } from './anomalydetection.js';
import { parseAppend, parseJoin } from './append-join.js';
import { parseBin } from './bin.js';
import { parseConvert } from './convert.js';
import { parseDedup } from './dedup.js';
import { parseEval, parseWhere } from './eval.js';
import { parseFields, parseTable } from './fields.js';
import { parseFillnull } from './fillnull.js';
import { parseHeadTail } from './head-tail.js';
import { parseInputlookup, parseLookup, parseOutputlookup } from './lookup.js';
import { parseMvexpand } from './mvexpand.js';
import { parseRegex, parseRex } from './regex.js';
import { parseRename } from './rename.js';
import { parseSearchCommand } from './search.js';
import { parseSort } from './sort.js';
import { parseSpath } from './spath.js';
import { parseStatsLike } from './stats.js';

/** Every command hunt parses, by its lower-case name. A command is added here and in its own module. */
const COMMANDS = {
  search: parseSearchCommand,
  where: parseWhere,
  eval: parseEval,
  stats: parseStatsLike('stats'),
  rename: parseRename,
  fillnull: parseFillnull,
  convert: parseConvert,
  spath: parseSpath,
  mvexpand: parseMvexpand,
  table: parseTable,
  fields: parseFields,
  bin: parseBin,
  bucket: parseBin,
  eventstats: parseStatsLike('eventstats'),
  regex: parseRegex,
  rex: parseRex,
  dedup: parseDedup,
  sort: parseSort,
  head: parseHeadTail('head'),
  tail: parseHeadTail('tail'),
  append: parseAppend,
  join: parseJoin,
  anomalydetection: parseAnomalydetection,
  lookup: parseLookup,
  inputlookup: parseInputlookup,
  outputlookup: parseOutputlookup,
} as const satisfies Record<string, AnyCommandParser>;

export type CommandName = keyof typeof COMMANDS;

/** The parser of command `name`, if hunt has one (own names only: `constructor` is no command). */
export function commandParser(name: string): AnyCommandParser | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
}

/**
 * Commands hunt refuses by name, with the reason. Any other command the parser does not know
 * is refused too (`unsupported command`): nothing is ever skipped.
 */
const REFUSED: Readonly<Record<string, string>> = {
  inputcsv: 'hunt reads no CSV files',
  outputcsv: 'hunt writes no CSV files',
  collect: 'hunt does not write to indexes',
};

/** Why hunt refuses command `name`, when it refuses it by name. */
export function refusedBecause(name: string): string | undefined {
  return Object.hasOwn(REFUSED, name) ? REFUSED[name] : undefined;
}
