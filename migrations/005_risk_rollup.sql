-- A monthly rollup of risk_events for the reports (sql/reports/risk.sql, detections.sql): per
-- month, object, type, detection and ATT&CK tags, the score, count and first/last risk time.
-- A report reads whole months in its range from here and only the partial months at its edges
-- from risk_events, so a report over all time reads tens of thousands of rows, not millions.
-- Kept exact by statement-level triggers on risk_events: inserts add to their groups; deletes
-- (replaced runs, prune) recompute the groups they touched; TRUNCATE empties it.

CREATE TABLE risk_rollup (
  month            timestamptz NOT NULL,
  risk_object      text        NOT NULL,
  risk_object_type text        NOT NULL,
  detection_id     text        NOT NULL,
  detection_name   text        NOT NULL,
  mitre_tactics    text[]      NOT NULL,
  mitre_attack_ids text[]      NOT NULL,
  score            numeric     NOT NULL,
  events           bigint      NOT NULL,
  first_time       timestamptz NOT NULL,
  last_time        timestamptz NOT NULL,
  CONSTRAINT risk_rollup_key UNIQUE (month, risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids)
);

-- months in UTC, whatever the server's TimeZone (timestamptz + interval '1 month' would use it)
CREATE FUNCTION risk_rollup_month(t timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('month', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;
CREATE FUNCTION risk_rollup_next_month(m timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$ SELECT (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC' $$;

-- How a report over [since, until) (either may be NULL: unbounded) reads the risk: the whole
-- months [lo, hi) from risk_rollup, the rest of the range, [since, a) and [c, until), from
-- risk_events (two index range scans; with no whole month in the range, [since, until) and
-- nothing). Shared by sql/reports/risk.sql and detections.sql.
CREATE FUNCTION risk_rollup_split(since_ timestamptz, until_ timestamptz)
  RETURNS TABLE (since timestamptz, until timestamptz, lo timestamptz, hi timestamptz, a timestamptz, c timestamptz)
  LANGUAGE sql IMMUTABLE AS $$
  SELECT since, until, lo, hi,
         CASE WHEN lo < hi THEN lo ELSE until END,
         CASE WHEN lo < hi THEN hi ELSE until END
  FROM (
    SELECT coalesce(since_, '-infinity') AS since,
           coalesce(until_, 'infinity') AS until,
           CASE WHEN since_ IS NULL THEN '-infinity'::timestamptz
                WHEN risk_rollup_month(since_) = since_ THEN since_
                ELSE risk_rollup_next_month(risk_rollup_month(since_)) END AS lo,
           CASE WHEN until_ IS NULL THEN 'infinity'::timestamptz ELSE risk_rollup_month(until_) END AS hi
  ) x
$$;

CREATE FUNCTION risk_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO risk_rollup AS r (month, risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids,
                                score, events, first_time, last_time)
  SELECT risk_rollup_month(risk_time), risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids,
         sum(risk_score), count(*), min(risk_time), max(risk_time)
  FROM new_rows
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ON CONSTRAINT risk_rollup_key DO UPDATE SET
    score = r.score + EXCLUDED.score,
    events = r.events + EXCLUDED.events,
    first_time = least(r.first_time, EXCLUDED.first_time),
    last_time = greatest(r.last_time, EXCLUDED.last_time);
  RETURN NULL;
END $$;

CREATE FUNCTION risk_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- the groups the deleted rows belonged to, recomputed from what is left of them ...
  UPDATE risk_rollup r SET (score, events, first_time, last_time) = (
    SELECT coalesce(sum(e.risk_score), 0), count(*), coalesce(min(e.risk_time), r.first_time), coalesce(max(e.risk_time), r.last_time)
    FROM risk_events e
    WHERE e.risk_object = r.risk_object AND e.risk_object_type = r.risk_object_type
      AND e.risk_time >= r.month AND e.risk_time < risk_rollup_next_month(r.month)
      AND e.detection_id = r.detection_id AND e.detection_name = r.detection_name
      AND e.mitre_tactics = r.mitre_tactics AND e.mitre_attack_ids = r.mitre_attack_ids)
  WHERE (r.month, r.risk_object, r.risk_object_type, r.detection_id, r.detection_name, r.mitre_tactics, r.mitre_attack_ids) IN (
    SELECT DISTINCT risk_rollup_month(risk_time), risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids
    FROM old_rows);
  -- ... and those with nothing left, gone
  DELETE FROM risk_rollup WHERE events = 0;
  RETURN NULL;
END $$;

CREATE FUNCTION risk_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE risk_rollup;
  RETURN NULL;
END $$;

CREATE TRIGGER risk_rollup_insert AFTER INSERT ON risk_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION risk_rollup_add();
CREATE TRIGGER risk_rollup_delete AFTER DELETE ON risk_events REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION risk_rollup_remove();
CREATE TRIGGER risk_rollup_truncate AFTER TRUNCATE ON risk_events
  FOR EACH STATEMENT EXECUTE FUNCTION risk_rollup_clear();

-- the events already stored
INSERT INTO risk_rollup (month, risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids,
                         score, events, first_time, last_time)
SELECT risk_rollup_month(risk_time), risk_object, risk_object_type, detection_id, detection_name, mitre_tactics, mitre_attack_ids,
       sum(risk_score), count(*), min(risk_time), max(risk_time)
FROM risk_events
GROUP BY 1, 2, 3, 4, 5, 6, 7;
