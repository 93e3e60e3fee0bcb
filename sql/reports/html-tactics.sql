-- Risk per ATT&CK tactic over [:since, :until): a risk event counts, with its whole score, for
-- every tactic it carries (so the tactics' totals add up to more than the range's total).
SELECT
  u.tactic,
  sum(e.risk_score)::float8 AS score,
  count(*)::int AS events,
  count(DISTINCT (e.risk_object, e.risk_object_type))::int AS objects
FROM risk_events e
CROSS JOIN LATERAL unnest(e.mitre_tactics) AS u(tactic)
WHERE e.risk_time >= :since::timestamptz AND e.risk_time < :until::timestamptz
GROUP BY u.tactic
