import type { Warning } from '../plan/context.js';
import type { Check, Draft } from './check.js';
import type { RuleId } from './rules.js';

/**
 * The compiler's own warnings, by their code: hunt lint reports what compiling against the
 * source schema found rather than re-deriving it. A comparison that can never be true because
 * of the field warned about just before it is that finding's consequence, not a second one.
 */
export const compilerWarnings: Check = ({ translation }) => {
  const out: Draft[] = [];
  let previousField: Draft | undefined;
  for (const w of translation.warnings) {
    if (w.code === 'never-true' && previousField) {
      previousField.message = `${previousField.message}; so ${w.message}`;
      previousField = undefined;
      continue;
    }
    const d: Draft = { rule: ruleFor(w), message: w.message, position: w.at ?? null };
    out.push(d);
    previousField =
      d.rule === 'bare-word-field' || d.rule === 'unknown-field' || d.rule === 'hunt-limitation' ? d : undefined;
  }
  return out;
};

function ruleFor(w: Warning): RuleId {
  // `_raw`, `_indextime`, ...: Splunk has them for every event; hunt does not define them all yet
  if (w.field?.startsWith('_') && (w.code === 'unknown-field' || w.code === 'stats-by-missing'))
    return 'hunt-limitation';
  switch (w.code) {
    case 'stats-by-missing':
      return 'stats-by-unknown-field';
    case 'bare-word':
      return 'bare-word-field';
    case 'unknown-field':
    case 'unknown-path':
      return 'unknown-field';
    case 'never-true':
      return 'dead-comparison';
    case 'matches-nothing':
      return 'dead-search-term';
    case 'no-source-home':
      return 'no-source-home';
    case undefined:
      return 'compiler-warning';
  }
}
