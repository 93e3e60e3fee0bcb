-- Run history: one row per (detection, version, window); storing a run again replaces it.
CREATE TABLE runs (
  id                bigserial PRIMARY KEY,
  detection_id      text        NOT NULL,
  detection_name    text        NOT NULL,
  detection_version integer     NOT NULL,
  window_earliest   timestamptz NOT NULL,
  window_latest     timestamptz NOT NULL,
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
  stored_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT runs_identity UNIQUE (detection_id, detection_version, window_earliest, window_latest),
  CONSTRAINT runs_window CHECK (window_earliest < window_latest)
);
CREATE INDEX runs_trigger ON runs (trigger);
CREATE INDEX runs_detection_window ON runs (detection_id, window_latest);

-- Result rows of a run, under their SPL field names.
CREATE TABLE findings (
  run_id  bigint  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  row     jsonb   NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);

-- Risk events (Splunk ES risk-based alerting): one per result row and risk object.
CREATE TABLE risk_events (
  id                bigserial   PRIMARY KEY,
  run_id            bigint      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  risk_time         timestamptz NOT NULL,
  risk_object       text        NOT NULL,
  risk_object_type  text        NOT NULL,
  risk_score        numeric     NOT NULL,
  risk_message      text        NOT NULL,
  detection_id      text        NOT NULL,
  detection_name    text        NOT NULL,
  detection_version integer     NOT NULL,
  mitre_attack_ids  text[]      NOT NULL DEFAULT '{}',
  analytic_stories  text[]      NOT NULL DEFAULT '{}',
  threat_objects    jsonb       NOT NULL DEFAULT '[]'
);
CREATE INDEX risk_events_time ON risk_events (risk_time);
CREATE INDEX risk_events_object_time ON risk_events (risk_object, risk_object_type, risk_time);
CREATE INDEX risk_events_run ON risk_events (run_id);
