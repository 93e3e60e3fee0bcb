-- One object's risk timeline over [:since, :until): every risk event in time order with the
-- running total of its object (per type: "alice" the user and "alice" the system are two
-- objects). :name matches case-insensitively, as the ESCU drilldown's
-- `search normalized_risk_object IN ("$user$")` does; :type NULL means every type.
-- Ties in time: by object, type, detection, then the run and the event's position in it.
SELECT
  to_char(risk_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS risk_time,
  risk_object,
  risk_object_type,
  risk_score::float8 AS risk_score,
  (sum(risk_score) OVER (PARTITION BY risk_object, risk_object_type
                         ORDER BY risk_time, detection_name COLLATE "C", run_id, ordinal
                         ROWS UNBOUNDED PRECEDING))::float8 AS running_total,
  detection_id,
  detection_name,
  detection_version,
  risk_message,
  mitre_tactics AS tactics,
  mitre_attack_ids AS techniques,
  threat_objects,
  to_char(window_earliest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS window_earliest,
  to_char(window_latest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS window_latest,
  run_id::text AS run_id
FROM risk_events
WHERE lower(risk_object) = lower(:name::text)
  AND (:type::text IS NULL OR risk_object_type = :type::text)
  AND risk_time >= coalesce(:since::timestamptz, '-infinity')
  AND risk_time < coalesce(:until::timestamptz, 'infinity')
ORDER BY risk_time, risk_object COLLATE "C", risk_object_type COLLATE "C", detection_name COLLATE "C", run_id, ordinal
