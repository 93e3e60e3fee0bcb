-- Per detection and :unit bucket (UTC) of the run's window end over [:since, :until): runs,
-- failed runs and findings — the strip of each detection's activity over time.
SELECT
  detection_id,
  to_char(date_trunc(:unit, window_latest AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket,
  count(*)::int AS runs,
  (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
  coalesce(sum(result_count), 0)::int AS findings
FROM runs
WHERE window_latest >= :since::timestamptz AND window_latest < :until::timestamptz
GROUP BY 1, 2
