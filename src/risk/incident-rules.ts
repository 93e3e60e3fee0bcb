/**
 * Risk incident rules, like Splunk ES risk-based alerting's two stock risk notables:
 * - "Risk Threshold Exceeded For Object Over 24 Hours": the object's risk score over the last
 *   24 hours is over 100;
 * - "ATT&CK Tactic Threshold Exceeded For Object Over Previous 7 Days": at least 3 ATT&CK
 *   tactics from at least 4 distinct detections in the last 7 days.
 * Rules are data (thresholds and windows come from `risk.incidents` in the configuration); the
 * decisions are pure. A rule window W looks back from a time t over (t - W, t]: with hourly
 * windows, the 24 risk times of the last 24 hours.
 */

export type IncidentRule =
  | { name: string; title: string; kind: 'score'; windowMs: number; scoreOver: number }
  | { name: string; title: string; kind: 'tactics'; windowMs: number; minTactics: number; minDetections: number };

export const DEFAULT_INCIDENT_RULES: readonly IncidentRule[] = [
  {
    name: 'risk_score_24h',
    title: 'Risk score over 100 for one object in 24 hours',
    kind: 'score',
    windowMs: 24 * 3_600_000,
    scoreOver: 100,
  },
  {
    name: 'attack_tactics_7d',
    title: 'ATT&CK tactics >= 3 from >= 4 detections for one object in 7 days',
    kind: 'tactics',
    windowMs: 7 * 24 * 3_600_000,
    minTactics: 3,
    minDetections: 4,
  },
];

/** What a rule looks at for one object at one time: its risk events within the rule window. */
export interface WindowAggregate {
  /** epoch ms of the time looked back from */
  at: number;
  totalScore: number;
  detections: number;
  tactics: number;
}

export function meetsRule(rule: IncidentRule, a: WindowAggregate): boolean {
  if (rule.kind === 'score') return a.totalScore > rule.scoreOver;
  return a.tactics >= rule.minTactics && a.detections >= rule.minDetections;
}

/** An incident's evidence span: risk times in (start, end]. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The times at which the rule fires, as spans: each firing time t covers (t - W, t], and firing
 * times whose windows overlap chain into one span — one incident per object and rule window,
 * however often (and in whatever order) the evaluation runs.
 */
export function firingSpans(rule: IncidentRule, aggregates: WindowAggregate[]): Span[] {
  const times = aggregates
    .filter((a) => meetsRule(rule, a))
    .map((a) => a.at)
    .sort((x, y) => x - y);
  const spans: Span[] = [];
  for (const t of times) {
    const last = spans[spans.length - 1];
    if (last && t - rule.windowMs < last.end) last.end = Math.max(last.end, t);
    else spans.push({ start: t - rule.windowMs, end: t });
  }
  return spans;
}
