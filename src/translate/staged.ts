/**
 * A search with `outputlookup`: Splunk writes the lookup while the search runs, and what comes
 * after reads it (a baseline kept across runs). One query cannot write, so such a search runs as
 * steps: the part up to an outputlookup is a query of its own; its rows are stored (by the
 * runner: I/O stays out of here); the rest is planned afterwards, with those rows written in
 * where the outputlookup was, and the lookup holding what was stored. Pure: each step is a
 * translation, and `next` plans the rest from the rows the step gave.
 */
import type { Command, Pipeline } from '../spl/ast.js';
import type { SplSource } from '../spl/source.js';
import type { LookupTable, LookupValue } from '../plan/lookup-table.js';
import { parseSearch, TranslateError, type Translation, translateParsed, type TranslateOptions } from './translate.js';

/** Rows as a lookup holds them: field names, and each row's values in that order. */
export interface WrittenRows {
  fields: string[];
  rows: LookupValue[][];
}

export type Staged =
  /** run `translation`, store its rows into `lookup`, then plan the rest with `next` */
  | { kind: 'write'; lookup: string; append: boolean; translation: Translation; next(written: WrittenRows): Staged }
  /** the query whose rows are the search's results */
  | { kind: 'final'; translation: Translation };

type Outputlookup = Extract<Command, { k: 'outputlookup' }>;

/** Whether the search writes a lookup (and so runs as steps). */
export function writesLookup(search: string, opts: Pick<TranslateOptions, 'macros'>): boolean {
  return findOutputlookup(parseSearch(search, opts).pipeline) !== undefined;
}

/** The search's first step, or its only query when it writes no lookup. */
export function translateStaged(search: string, opts: TranslateOptions): Staged {
  const { src, pipeline } = parseSearch(search, opts);
  return stagedFrom(src, pipeline, opts, 1);
}

function stagedFrom(src: SplSource, pipeline: Pipeline, opts: TranslateOptions, step: number): Staged {
  if (!findOutputlookup(pipeline)) return { kind: 'final', translation: translateParsed(src, pipeline, opts) };
  // the rest is rewritten in place: a copy of the AST (plain data) per step
  const copy = structuredClone(pipeline);
  const found = findOutputlookup(copy);
  if (!found) throw new Error('a copy of the pipeline lost its outputlookup');
  const { commands, index, cmd } = found;
  if (index === 0) {
    throw new TranslateError('`outputlookup` needs rows before it', src.describe(cmd.span.start));
  }
  const translation = translateParsed(src, { commands: commands.slice(0, index) }, opts);
  return {
    kind: 'write',
    lookup: cmd.table.name,
    append: cmd.append,
    translation,
    next: (written) => {
      // the rows go on where outputlookup was: a lookup of their own, read first
      const passed = `${cmd.table.name} (rows of step ${step})`;
      commands.splice(0, index + 1, {
        k: 'inputlookup',
        table: { name: passed, span: cmd.table.span },
        append: false,
        where: undefined,
        span: cmd.span,
      });
      const lookups = new Map(opts.lookups ?? []);
      lookups.set(cmd.table.name, stored(opts.lookups?.get(cmd.table.name), cmd.table.name, written, cmd.append));
      lookups.set(passed, stored(undefined, passed, written, false));
      return stagedFrom(src, copy, { ...opts, lookups }, step + 1);
    },
  };
}

/** A lookup after `written` was stored into it (appended, or replacing its rows). */
export function stored(def: LookupTable | undefined, name: string, written: WrittenRows, append: boolean): LookupTable {
  const base: LookupTable = def ?? {
    name,
    kind: 'kvstore',
    file: '(written by outputlookup)',
    fields: [],
    rows: [],
    caseSensitive: true,
    maxMatches: 1000,
    wildcardFields: [],
  };
  const { fields, rows } = append ? appendedRows(base, written) : written;
  return { ...base, fields, rows };
}

/** `written` after `before`, over the union of their fields (a field a row lacks is missing). */
export function appendedRows(before: WrittenRows, written: WrittenRows): WrittenRows {
  const fields = [...before.fields, ...written.fields.filter((f) => !before.fields.includes(f))];
  const reorder = (from: string[], row: LookupValue[]): LookupValue[] =>
    fields.map((f) => (from.includes(f) ? (row[from.indexOf(f)] ?? null) : null));
  return {
    fields,
    rows: [
      ...before.rows.map((r) => reorder(before.fields, r)),
      ...written.rows.map((r) => reorder(written.fields, r)),
    ],
  };
}

/** Result rows (SPL names → values, as the runner maps them) as lookup rows: values as text. */
export function writtenRows(results: Record<string, unknown>[], fields: Translation['fields']): WrittenRows {
  const names = fields.map((f) => f.name);
  return { fields: names, rows: results.map((r) => names.map((n) => lookupValue(r[n]))) };
}

function lookupValue(v: unknown): LookupValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String);
  return String(v);
}

/**
 * The first outputlookup in the order the search runs: a subsearch's before the command that
 * holds it. Returned with the command list it is in (of `pipeline`, a mutable copy).
 */
function findOutputlookup(pipeline: Pipeline): { commands: Command[]; index: number; cmd: Outputlookup } | undefined {
  const commands = pipeline.commands;
  for (let index = 0; index < commands.length; index++) {
    const c = commands[index] as Command;
    for (const sub of subPipelines(c)) {
      const found = findOutputlookup(sub);
      if (found) return found;
    }
    if (c.k === 'outputlookup') return { commands, index, cmd: c };
  }
  return undefined;
}

/** The subsearches of a command, in order. */
function subPipelines(c: Command): Pipeline[] {
  if (c.k === 'append' || c.k === 'join') return [c.sub.pipeline];
  if (c.k === 'search' && c.expr) return searchSubs(c.expr);
  if (c.k === 'inputlookup' && c.where) return searchSubs(c.where);
  return [];
}

function searchSubs(e: Extract<Command, { k: 'search' }>['expr'] & object): Pipeline[] {
  switch (e.k) {
    case 'and':
    case 'or':
      return e.items.flatMap(searchSubs);
    case 'not':
      return searchSubs(e.item);
    case 'subsearch':
      return [e.pipeline];
    default:
      return [];
  }
}
