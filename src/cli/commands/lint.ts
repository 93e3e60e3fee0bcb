import { compileTarget, targetOf } from '../../compile/compile.js';
import { findingLine, lintDocument } from '../../lint/lint.js';
import { commandConfig } from '../context.js';
import { UsageError } from '../errors.js';
import { json, type Io } from '../output.js';
import { escapeControls, escapeControlsKeepLines } from '../../text/escape-controls.js';

/** `hunt lint` flags as commander gives them. */
export interface LintFlags {
  /** `--source`: read each sourcetype from this source where it can */
  source?: string;
  json?: boolean;
  config?: string;
  detections?: string;
}

/**
 * `hunt lint RULE|DIR`: content bugs found by compiling each detection (for Athena) against
 * its source's schema. Exit 1 when there is an error-level finding, else 0.
 */
export async function lintCommand(
  arg: string | undefined,
  opts: LintFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const config = commandConfig(opts, env);
  const target = targetOf(arg, config);
  const outcomes = compileTarget(target, config, { dialect: 'athena' });
  if (target.kind === 'dir' && outcomes.length === 0)
    throw new UsageError(`${target.dir}: no detection YAML files below it`);
  const doc = lintDocument(outcomes);
  if (opts.json) {
    io.out(json(doc));
  } else {
    // a finding is one line: a line break in a name or file cannot forge another finding
    for (const f of doc.findings)
      io.out(
        findingLine({
          ...f,
          file: escapeControls(f.file),
          detection: f.detection && escapeControls(f.detection),
          message: escapeControlsKeepLines(f.message),
        }),
      );
    const notCompiled = doc.not_compiled > 0 ? ` (${doc.not_compiled} do not compile)` : '';
    io.out(
      `${doc.total} detection${doc.total === 1 ? '' : 's'}: ${doc.errors} error${doc.errors === 1 ? '' : 's'}, ${doc.warnings} warning${doc.warnings === 1 ? '' : 's'}${notCompiled}`,
    );
  }
  return doc.errors > 0 ? 1 : 0;
}
