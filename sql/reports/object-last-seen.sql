-- When the object (matched as in object.sql) last had a risk event at all, NULL when never:
-- says whether an empty timeline is a quiet object or a mistyped name.
SELECT to_char(max(risk_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time
FROM risk_events
WHERE lower(risk_object) = lower(:name::text)
  AND (:type::text IS NULL OR risk_object_type = :type::text)
