-- The HTML report's header over [:since, :until): risk events, their total score, distinct risk
-- objects, incidents whose evidence overlaps the range, runs and distinct detections run (a run
-- counts by its window's end, which is also the risk time of its risk events).
WITH e AS (
  SELECT risk_object, risk_object_type, risk_score
  FROM risk_events
  WHERE risk_time >= :since::timestamptz AND risk_time < :until::timestamptz
), r AS (
  SELECT detection_id, status
  FROM runs
  WHERE window_latest >= :since::timestamptz AND window_latest < :until::timestamptz
), i AS (
  SELECT status
  FROM incidents
  WHERE last_time >= :since::timestamptz AND first_time < :until::timestamptz
)
SELECT
  (SELECT count(*) FROM e)::int AS risk_events,
  (SELECT coalesce(sum(risk_score), 0) FROM e)::float8 AS total_score,
  (SELECT count(*) FROM (SELECT DISTINCT risk_object, risk_object_type FROM e) o)::int AS objects,
  (SELECT count(*) FROM i)::int AS incidents,
  (SELECT count(*) FROM i WHERE status = 'open')::int AS open_incidents,
  (SELECT count(*) FROM r)::int AS runs,
  (SELECT count(*) FROM r WHERE status = 'failed')::int AS failed_runs,
  (SELECT count(DISTINCT detection_id) FROM r)::int AS detections
