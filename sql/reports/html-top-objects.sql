-- The :top riskiest objects over [:since, :until): total score, risk events, distinct
-- detections and tactics, first and last risk time (ISO 8601 UTC). Highest total first, ties by
-- object ("C" collation: the same order on every server), as in reports/risk.sql.
-- Grouped per (object, detection) first, for the same reason as in html-tactics.sql.
WITH per_detection AS (
  SELECT
    risk_object,
    risk_object_type,
    detection_id,
    sum(risk_score) AS score,
    count(*) AS events,
    min(risk_time) AS first_time,
    max(risk_time) AS last_time
  FROM risk_events
  WHERE risk_time >= :since::timestamptz AND risk_time < :until::timestamptz
  GROUP BY risk_object, risk_object_type, detection_id
), top AS (
  SELECT
    risk_object,
    risk_object_type,
    sum(score) AS total_score,
    sum(events) AS events,
    count(*) AS detections,
    min(first_time) AS first_time,
    max(last_time) AS last_time
  FROM per_detection
  GROUP BY risk_object, risk_object_type
  ORDER BY total_score DESC, risk_object COLLATE "C", risk_object_type COLLATE "C"
  LIMIT :top::int
)
SELECT
  t.risk_object,
  t.risk_object_type,
  t.total_score::float8 AS total_score,
  t.events::int AS events,
  t.detections::int AS detections,
  -- the object's own events only (risk_events_object_idx), not the whole range again
  ARRAY(
    SELECT DISTINCT tactic
    FROM risk_events e CROSS JOIN LATERAL unnest(e.mitre_tactics) AS u(tactic)
    WHERE e.risk_object = t.risk_object AND e.risk_object_type = t.risk_object_type
      AND e.risk_time >= :since::timestamptz AND e.risk_time < :until::timestamptz
  ) AS tactics,
  to_char(t.first_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_time,
  to_char(t.last_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time
FROM top t
ORDER BY t.total_score DESC, t.risk_object COLLATE "C", t.risk_object_type COLLATE "C"
