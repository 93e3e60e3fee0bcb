import type { CompileOutcome } from '../compile/compile.js';
import { displayPath } from '../compile/document.js';
import type { Check, Draft } from './check.js';
import { compilerWarnings } from './compiler-warnings.js';
import { filterMacro } from './filter-macro.js';
import { rbaFields } from './rba.js';
import { RULES, type Finding } from './rules.js';
import { testSourcetype } from './sourcetype.js';

/** The checks of a detection that compiled, in the order their findings are listed. */
const CHECKS: Check[] = [compilerWarnings, rbaFields, filterMacro, testSourcetype];

/**
 * Content bugs in one compiled (or not compiled) detection file. A file that is not a valid
 * detection and a search that does not compile are findings themselves; the other checks need
 * the translation.
 */
export function lintOutcome(o: CompileOutcome, cwd = process.cwd()): Finding[] {
  const file = displayPath(o.file, cwd);
  const finding = (d: Draft): Finding => ({
    rule: d.rule,
    severity: RULES[d.rule].severity,
    file,
    detection: o.detection?.name ?? null,
    message: d.message,
    position: d.position,
  });
  if (!o.detection)
    return [finding({ rule: 'invalid-detection', message: o.error ?? 'not a valid detection', position: null })];
  if (!o.translation) {
    // the position is a field of its own here, not the tail of the message
    const error = o.error ?? 'does not compile';
    const suffix = o.errorAt ? ` (at ${o.errorAt})` : undefined;
    const message = suffix && error.endsWith(suffix) ? error.slice(0, -suffix.length) : error;
    return [finding({ rule: 'compile-error', message, position: o.errorAt ?? null })];
  }
  const input = { detection: o.detection, translation: o.translation };
  return CHECKS.flatMap((check) => check(input)).map(finding);
}

export interface LintDocument {
  /** detection files looked at */
  total: number;
  errors: number;
  warnings: number;
  /** files whose search does not compile (they are also findings) */
  not_compiled: number;
  findings: Finding[];
}

/** The `hunt lint --json` document. */
export function lintDocument(outcomes: CompileOutcome[], cwd = process.cwd()): LintDocument {
  const findings = outcomes.flatMap((o) => lintOutcome(o, cwd));
  return {
    total: outcomes.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    not_compiled: outcomes.filter((o) => !o.translation).length,
    findings,
  };
}

/** One line per finding, like a compiler: `file: severity [rule] detection: message (at position)`. */
export function findingLine(f: Finding): string {
  const who = f.detection ? `${f.detection}: ` : '';
  return `${f.file}: ${f.severity} [${f.rule}] ${who}${f.message}${f.position ? ` (at ${f.position})` : ''}`;
}
