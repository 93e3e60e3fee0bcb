-- Incidents whose evidence overlaps [:since, :until), newest (latest window end) first, at most
-- :limit of them; `total` is how many there are in all.
SELECT
  id::text AS id,
  rule,
  risk_object,
  risk_object_type,
  status,
  total_score::float8 AS total_score,
  risk_events,
  detections,
  tactics,
  to_char(first_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_time,
  to_char(last_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time,
  to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS window_end,
  (count(*) OVER ())::int AS total
FROM incidents
WHERE last_time >= :since::timestamptz AND first_time < :until::timestamptz
ORDER BY incidents.window_end DESC, created_at DESC, id
LIMIT :limit::int
