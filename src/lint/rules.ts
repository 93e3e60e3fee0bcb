/**
 * hunt lint's rules, as data: what each finds and how bad it is. An error means the detection
 * cannot do its job at all (it does not load or compile, it can never return a row, or its
 * results can never raise risk on a risk object); a warning means part of it is dead or wrong.
 */
export type Severity = 'error' | 'warning';

export const RULES = {
  'invalid-detection': { severity: 'error', summary: 'the file is not a valid detection (YAML or a required field)' },
  'compile-error': { severity: 'error', summary: 'the search does not compile (unsupported SPL, unknown macro, ...)' },
  'stats-by-unknown-field': {
    severity: 'error',
    summary: 'a stats BY field no event of the source can have: stats drops every row',
  },
  'risk-object-field': {
    severity: 'error',
    summary: 'a risk object names a field the results lack: no risk is ever raised on it',
  },
  'bare-word-field': {
    severity: 'warning',
    summary: 'an unquoted word in eval/where names no field (a string was meant): the clause is dead',
  },
  'unknown-field': {
    severity: 'warning',
    summary: 'a field (or spath path) the source does not have and no earlier command defines',
  },
  'dead-comparison': { severity: 'warning', summary: 'a comparison that can never be true' },
  'dead-search-term': { severity: 'warning', summary: 'a search term that can match no event' },
  'compiler-warning': { severity: 'warning', summary: 'any other compiler warning' },
  'no-source-home': {
    severity: 'warning',
    summary: "a raw field the source's mapping does not keep (a CloudTrail field on Security Lake): always empty",
  },
  'hunt-limitation': {
    severity: 'warning',
    summary: 'a Splunk internal field hunt does not provide yet: results may differ from Splunk',
  },
  'missing-filter-macro': {
    severity: 'warning',
    summary: 'the search does not end with its `<stem>_filter` macro (users cannot tune it)',
  },
  'risk-message-field': {
    severity: 'warning',
    summary: 'the risk message names a $field$ the results lack: it stays as written',
  },
  'threat-object-field': { severity: 'warning', summary: 'a threat object names a field the results lack' },
  'unknown-attack-technique': {
    severity: 'warning',
    summary:
      "an ATT&CK technique id hunt's technique → tactic table does not know: its risk counts no tactic in incident rules",
  },
  'test-sourcetype-mismatch': {
    severity: 'warning',
    summary: "the test data's sourcetype is not the one the search reads",
  },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleId = keyof typeof RULES;

/** One problem in one detection file. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** the file as the user would type it */
  file: string;
  /** the detection's name; null when the file is not a valid detection */
  detection: string | null;
  message: string;
  /** where: in the search ("line 1, column 5 of the search"), the macro, or the YAML field */
  position: string | null;
}
