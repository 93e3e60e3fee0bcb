-- Risk per object over [:since, :until): total score, number of risk events, the detections
-- that contributed (distinct, sorted), first and last risk time as ISO 8601 UTC.
-- Highest total first; ties by object. Either bound may be NULL (unbounded).
-- Sorting uses the "C" collation so the order is the same on every server, whatever its locale.
SELECT
  risk_object,
  risk_object_type,
  sum(risk_score)::float8 AS total_score,
  count(*)::int AS events,
  array_agg(DISTINCT detection_name COLLATE "C" ORDER BY detection_name COLLATE "C") AS detections,
  to_char(min(risk_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_time,
  to_char(max(risk_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time
FROM risk_events
WHERE risk_time >= coalesce(:since::timestamptz, '-infinity')
  AND risk_time < coalesce(:until::timestamptz, 'infinity')
GROUP BY risk_object, risk_object_type
ORDER BY total_score DESC, risk_object COLLATE "C", risk_object_type COLLATE "C"
