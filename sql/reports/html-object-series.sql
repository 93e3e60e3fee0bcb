-- Risk per :unit bucket (hour, day, week or month, UTC) over [:since, :until) for the objects
-- in :objects, a JSON array of {risk_object, risk_object_type} (the top objects). Buckets
-- without risk are absent; the page fills them with 0.
SELECT
  e.risk_object,
  e.risk_object_type,
  to_char(date_trunc(:unit, e.risk_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket,
  sum(e.risk_score)::float8 AS score,
  count(*)::int AS events
FROM risk_events e
JOIN jsonb_to_recordset(:objects::jsonb) AS top(risk_object text, risk_object_type text)
  ON top.risk_object = e.risk_object AND top.risk_object_type = e.risk_object_type
WHERE e.risk_time >= :since::timestamptz AND e.risk_time < :until::timestamptz
GROUP BY 1, 2, 3
ORDER BY 3
