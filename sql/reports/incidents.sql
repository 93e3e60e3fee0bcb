-- Incidents the risk incident rules raised, newest first (by the end of their window, then when
-- raised), with window_end in [:since, :until) and of :status (NULL: any). At most :limit.
SELECT
  id::text AS id,
  rule,
  risk_object,
  risk_object_type,
  to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS window_start,
  to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS window_end,
  total_score::float8 AS total_score,
  risk_events,
  detections,
  tactics,
  techniques,
  status,
  to_char(first_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_time,
  to_char(last_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
FROM incidents
WHERE window_end >= coalesce(:since::timestamptz, '-infinity')
  AND window_end < coalesce(:until::timestamptz, 'infinity')
  AND (:status::text IS NULL OR status = :status::text)
ORDER BY window_end DESC, created_at DESC, id
LIMIT :limit::int
