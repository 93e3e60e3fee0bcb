import { relative } from 'node:path';
import { compileTarget, targetOf, type CompileOutcome } from '../../compile/compile.js';
import { compileDocument, displayPath, warningText } from '../../compile/document.js';
import { sqlFileText } from '../../compile/sql-file.js';
import { ESCAPED_NOTE, shownOnTerminal } from '../../text/escape-controls.js';
import type { DialectName } from '../../sql/dialect.js';
import { commandConfig } from '../context.js';
import { UsageError } from '../errors.js';
import { json, type Io } from '../output.js';
import { escapeControls } from '../../text/escape-controls.js';

/** `hunt compile` flags as commander gives them. */
export interface CompileFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  dialect: DialectName;
  json?: boolean;
  config?: string;
  detections?: string;
}

/**
 * `hunt compile RULE|DIR`: the SQL of one detection, or of every detection below a directory
 * (default: the configured detections directory). Exit 0 when everything compiled; a single
 * RULE that does not compile exits 2 (bad input, like `hunt run`); a directory where some
 * detection does not compile exits 1 (the others still compiled, and are printed).
 */
export async function compileCommand(
  arg: string | undefined,
  opts: CompileFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = commandConfig(opts, env);
  const target = targetOf(arg, config);
  const outcomes = compileTarget(target, config, { dialect: opts.dialect });
  if (target.kind === 'dir' && outcomes.length === 0)
    throw new UsageError(`${target.dir}: no detection YAML files below it`);
  const failed = outcomes.filter((o) => !o.translation);

  if (opts.json) {
    io.out(json(compileDocument(outcomes)));
  } else if (target.kind === 'rule') {
    const [o] = outcomes as [CompileOutcome];
    if (o.translation && o.detection) {
      const shown = shownOnTerminal(
        sqlFileText(o.detection, o.translation, {
          file: displayPath(o.file),
          ...(o.prepared?.steps ? { steps: o.prepared.steps } : {}),
        }),
      );
      io.out(shown.text);
      if (shown.escaped) io.err(ESCAPED_NOTE);
    }
  } else {
    await summary(io, outcomes, target.dir, opts.dialect);
  }

  if (target.kind === 'rule') {
    const [o] = outcomes as [CompileOutcome];
    for (const w of o.translation?.warnings ?? []) io.err(`warning: ${warningText(w)}`);
    if (!o.translation) {
      io.err(`hunt: ${displayPath(o.file)}: ${o.error ?? 'does not compile'}`);
      return 2;
    }
    return 0;
  }
  return failed.length > 0 ? 1 : 0;
}

/** A table of every detection and whether it compiled, then the failures with their reasons. */
async function summary(io: Io, outcomes: CompileOutcome[], dir: string, dialect: DialectName): Promise<void> {
  const { writeRecords } = await import('../output-table.js');
  const rows = outcomes.map((o) => ({
    file: relative(dir, o.file),
    detection: o.detection?.name ?? '',
    result: !o.translation
      ? 'FAILED'
      : o.translation.warnings.length > 0
        ? `ok, ${plural(o.translation.warnings.length, 'warning')}`
        : 'ok',
  }));
  const failed = outcomes.filter((o) => !o.translation);
  writeRecords(io.out, rows, ['file', 'detection', 'result'], { empty: '(no results)', hint: '--json' });
  const lines = [`${outcomes.length - failed.length} of ${plural(outcomes.length, 'detection')} compiled (${dialect})`];
  // file names and loader messages can hold anything a directory or YAML file holds
  if (failed.length > 0)
    lines.push(
      '',
      'not compiled:',
      ...failed.map((o) => `  ${escapeControls(relative(dir, o.file))}: ${escapeControls(o.error ?? '')}`),
    );
  io.out(lines.join('\n'));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
