-- Risk per object over [:since, :until), optionally of one :type (user, system, other): total
-- score, number of risk events, the detections that contributed and their ATT&CK tactics and
-- techniques (each distinct, sorted), first and last risk time as ISO 8601 UTC.
-- Highest total first; ties by object, then type. Any parameter may be NULL (no bound, every
-- type, no :limit). Sorting uses the "C" collation so the order is the same on every server.
-- Two stages: first per (object, detection, tags), which turns a million events into a few
-- thousand groups, then per object, where the distinct sets are cheap.
WITH per AS MATERIALIZED (
  SELECT risk_object, risk_object_type, detection_name, mitre_tactics, mitre_attack_ids,
         sum(risk_score) AS score, count(*) AS n, min(risk_time) AS first, max(risk_time) AS last
  FROM risk_events
  WHERE risk_time >= coalesce(:since::timestamptz, '-infinity')
    AND risk_time < coalesce(:until::timestamptz, 'infinity')
    AND (:type::text IS NULL OR risk_object_type = :type::text)
  GROUP BY risk_object, risk_object_type, detection_name, mitre_tactics, mitre_attack_ids
), objects AS (
  SELECT risk_object, risk_object_type,
         sum(score) AS total_score,
         sum(n)::int AS events,
         array_agg(DISTINCT detection_name COLLATE "C" ORDER BY detection_name COLLATE "C") AS detections,
         min(first) AS first, max(last) AS last
  FROM per
  GROUP BY risk_object, risk_object_type
), tactics AS (
  SELECT risk_object, risk_object_type, array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C") AS tactics
  FROM per, unnest(mitre_tactics) AS t
  GROUP BY risk_object, risk_object_type
), techniques AS (
  SELECT risk_object, risk_object_type, array_agg(DISTINCT t COLLATE "C" ORDER BY t COLLATE "C") AS techniques
  FROM per, unnest(mitre_attack_ids) AS t
  GROUP BY risk_object, risk_object_type
)
SELECT
  o.risk_object,
  o.risk_object_type,
  o.total_score::float8 AS total_score,
  o.events,
  o.detections,
  coalesce(ta.tactics, '{}') AS tactics,
  coalesce(te.techniques, '{}') AS techniques,
  to_char(o.first AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_time,
  to_char(o.last AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_time
FROM objects o
LEFT JOIN tactics ta USING (risk_object, risk_object_type)
LEFT JOIN techniques te USING (risk_object, risk_object_type)
-- numeric, not float, decides the order: 0.1 + 0.2 ties with 0.3
ORDER BY o.total_score DESC, o.risk_object COLLATE "C", o.risk_object_type COLLATE "C"
LIMIT :limit::int
