/** Wrong use of the CLI (bad flag values, missing lake, ...): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

// Errors about what the user gave us (files, rules, time, SPL) exit 2; anything that goes
// wrong while running (engine, database) exits 1. Matched by class name to keep the CLI the
// only place that knows every module's errors.
const BAD_INPUT = new Set([
  'UsageError',
  'DetectionError',
  'ConfigError',
  'TranslateError',
  'UnknownRuleError',
  'TimeModifierError',
  'LakeImportError',
  'SplError',
  'CommanderError',
  'ScheduleConfigError',
  'CronError',
  'DurationError',
  'DuplicateDetectionError',
  'BackfillRangeError',
]);

export function exitCodeFor(err: unknown): number {
  if (err instanceof Error && (BAD_INPUT.has(err.name) || BAD_INPUT.has(err.constructor.name))) return 2;
  return 1;
}
