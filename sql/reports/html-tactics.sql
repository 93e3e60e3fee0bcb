-- Risk per ATT&CK tactic over [:since, :until): a risk event counts, with its whole score, for
-- every tactic it carries (so the tactics' totals add up to more than the range's total).
-- Grouped per (tactic, object) first: counting distinct objects that way is a hash aggregate,
-- where count(DISTINCT (object, type)) sorts every row (20 times slower over a million events).
WITH per_object AS (
  SELECT u.tactic, e.risk_object, e.risk_object_type, sum(e.risk_score) AS score, count(*) AS events
  FROM risk_events e
  CROSS JOIN LATERAL unnest(e.mitre_tactics) AS u(tactic)
  WHERE e.risk_time >= :since::timestamptz AND e.risk_time < :until::timestamptz
  GROUP BY u.tactic, e.risk_object, e.risk_object_type
)
SELECT
  tactic,
  sum(score)::float8 AS score,
  sum(events)::int AS events,
  count(*)::int AS objects
FROM per_object
GROUP BY tactic
