-- Run history, the result rows of each run, and the risk events they produced.
-- A run is identified by (detection, version, window): running the same detection over the
-- same window again replaces the run and everything hanging off it (see src/store/runs.ts).

CREATE TABLE runs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  detection_id      text        NOT NULL,
  detection_version integer     NOT NULL,
  -- earliest inclusive, latest exclusive
  window_earliest   timestamptz NOT NULL,
  window_latest     timestamptz NOT NULL,
  detection_name    text        NOT NULL,
  trigger           text        NOT NULL CHECK (trigger IN ('adhoc', 'schedule', 'demo', 'backfill')),
  engine            text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz NOT NULL,
  sql               text        NOT NULL,
  params            jsonb       NOT NULL DEFAULT '[]',
  warnings          jsonb       NOT NULL DEFAULT '[]',
  error             text,
  stats             jsonb       NOT NULL DEFAULT '{}',
  result_count      integer     NOT NULL DEFAULT 0,
  -- jsonb does not keep key order: the result fields in first-seen order, to show rows as run
  result_columns    text[]      NOT NULL DEFAULT '{}',
  -- when this version of the run was stored (a replaced run gets a new one)
  saved_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT runs_identity UNIQUE (detection_id, detection_version, window_earliest, window_latest),
  CONSTRAINT runs_window_order CHECK (window_earliest <= window_latest)
);

-- deleteRuns({ trigger }) and listings per kind of run (e.g. demo runs)
CREATE INDEX runs_trigger_idx ON runs (trigger, window_latest);
-- latest runs first, across detections
CREATE INDEX runs_window_latest_idx ON runs (window_latest);

CREATE TABLE findings (
  run_id  uuid    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  -- position of the row in the run's results (0-based)
  ordinal integer NOT NULL,
  "row"   jsonb   NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);

CREATE TABLE risk_events (
  run_id             uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  -- position of the event in the run's risk events (0-based)
  ordinal            integer     NOT NULL,
  risk_time          timestamptz NOT NULL,
  risk_object        text        NOT NULL,
  risk_object_type   text        NOT NULL,
  risk_score         numeric     NOT NULL,
  risk_message       text        NOT NULL,
  detection_id       text        NOT NULL,
  detection_name     text        NOT NULL,
  detection_version  integer     NOT NULL,
  mitre_attack_ids   text[]      NOT NULL DEFAULT '{}',
  analytic_stories   text[]      NOT NULL DEFAULT '{}',
  threat_objects     jsonb       NOT NULL DEFAULT '[]',
  PRIMARY KEY (run_id, ordinal)
);

-- reports over a time range (risk report --since/--until)
CREATE INDEX risk_events_time_idx ON risk_events (risk_time);
-- one object's history (risk timeline, incidents built per object)
CREATE INDEX risk_events_object_idx ON risk_events (risk_object, risk_object_type, risk_time);
