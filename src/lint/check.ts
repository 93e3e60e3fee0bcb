import type { Detection } from '../detections/model.js';
import type { Translation } from '../translate/translate.js';
import type { RuleId } from './rules.js';

/** What a check sees: a detection that compiled, with its translation. */
export interface LintInput {
  detection: Detection;
  translation: Translation;
}

/** A finding before the file and severity are attached. */
export interface Draft {
  rule: RuleId;
  message: string;
  position: string | null;
}

/** A check: pure, one kind of content bug. */
export type Check = (input: LintInput) => Draft[];
