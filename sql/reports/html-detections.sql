-- Per detection, over the runs whose window ends in [:since, :until): runs, failed runs,
-- findings, risk events and their score, the last window's end; the latest name it ran under.
-- Most risk first, then most findings, then by name.
WITH r AS (
  SELECT id, detection_id, detection_name, status, result_count, window_latest
  FROM runs
  WHERE window_latest >= :since::timestamptz AND window_latest < :until::timestamptz
), risk AS (
  SELECT run_id, sum(risk_score) AS score, count(*) AS events
  FROM risk_events
  WHERE run_id IN (SELECT id FROM r)
  GROUP BY run_id
)
SELECT * FROM (
SELECT
  r.detection_id,
  (array_agg(r.detection_name ORDER BY r.window_latest DESC))[1] AS detection_name,
  count(*)::int AS runs,
  (count(*) FILTER (WHERE r.status = 'failed'))::int AS failed,
  coalesce(sum(r.result_count), 0)::int AS findings,
  coalesce(sum(risk.events), 0)::int AS risk_events,
  coalesce(sum(risk.score), 0)::float8 AS risk_score,
  to_char(max(r.window_latest) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_window
FROM r
LEFT JOIN risk ON risk.run_id = r.id
GROUP BY r.detection_id
) d
ORDER BY risk_score DESC, findings DESC, detection_name COLLATE "C", detection_id COLLATE "C"
