import type { Command } from '../../spl/ast.js';
import type { PlannerState } from '../planner-state.js';
import { anomalydetection } from './anomalydetection.js';
import { append } from './append.js';
import { bin } from './bin.js';
import { convert } from './convert.js';
import { dedup } from './dedup.js';
import { evalCommand } from './eval.js';
import { fields } from './fields.js';
import { fillnull } from './fillnull.js';
import { headTail } from './head-tail.js';
import { join } from './join.js';
import { inputlookup } from './inputlookup.js';
import { lookup } from './lookup.js';
import { outputlookup } from './outputlookup.js';
import { mvexpand } from './mvexpand.js';
import { regexFilter } from './regex.js';
import { rename } from './rename.js';
import { rex } from './rex.js';
import { search } from './search.js';
import { sort } from './sort.js';
import { spath } from './spath.js';
import { statsCommand } from './stats.js';
import { where } from './where.js';

/** How one command changes the planning state of its search. */
export type CommandPlanner<K extends Command['k']> = (p: PlannerState, cmd: Extract<Command, { k: K }>) => void;

/**
 * The planning function of every command the parser produces, by kind. The mapped type makes
 * the table complete: a command kind added to the AST without a planner does not compile.
 */
export const COMMANDS: { [K in Command['k']]: CommandPlanner<K> } = {
  search,
  where,
  eval: evalCommand,
  rename,
  fillnull,
  convert,
  spath,
  mvexpand,
  stats: statsCommand,
  table: fields,
  fields,
  bin,
  regex: regexFilter,
  rex,
  dedup,
  sort,
  head: headTail,
  tail: headTail,
  append,
  join,
  anomalydetection,
  lookup,
  inputlookup,
  outputlookup,
};

/** Plans one command with its entry of the table. */
export function planCommand<K extends Command['k']>(p: PlannerState, cmd: Extract<Command, { k: K }>): void {
  (COMMANDS[cmd.k] as CommandPlanner<K>)(p, cmd);
}
