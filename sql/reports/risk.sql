-- Risk per object over [since, until): total score, events, detections, first and last time.
SELECT
  risk_object,
  risk_object_type,
  sum(risk_score)::float8                                   AS total_score,
  count(*)::int                                             AS events,
  array_agg(DISTINCT detection_name ORDER BY detection_name) AS detections,
  min(risk_time)                                            AS first_time,
  max(risk_time)                                            AS last_time
FROM risk_events
WHERE risk_time >= coalesce(:since::timestamptz, '-infinity')
  AND risk_time <  coalesce(:until::timestamptz, 'infinity')
GROUP BY risk_object, risk_object_type
ORDER BY total_score DESC, risk_object, risk_object_type
