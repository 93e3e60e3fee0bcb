-- Risk events carry their ATT&CK tactics and the window of the run that made them; incidents
-- are what the risk incident rules (src/risk/incident-rules.ts, config `risk.incidents`) raise
-- from them, like Splunk ES risk-based alerting's risk notables.

ALTER TABLE risk_events
  ADD COLUMN mitre_tactics   text[]      NOT NULL DEFAULT '{}',
  ADD COLUMN window_earliest timestamptz,
  ADD COLUMN window_latest   timestamptz;
UPDATE risk_events e SET window_earliest = r.window_earliest, window_latest = r.window_latest FROM runs r WHERE r.id = e.run_id;
ALTER TABLE risk_events
  ALTER COLUMN window_earliest SET NOT NULL,
  ALTER COLUMN window_latest SET NOT NULL;

CREATE TABLE incidents (
  id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  -- the rule's name (config risk.incidents), e.g. risk_score_24h, attack_tactics_7d
  rule             text        NOT NULL,
  risk_object      text        NOT NULL,
  risk_object_type text        NOT NULL,
  -- the evidence: the object's risk events with window_start < risk_time <= window_end
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  total_score      numeric     NOT NULL,
  risk_events      integer     NOT NULL,
  detections       text[]      NOT NULL,
  tactics          text[]      NOT NULL,
  techniques       text[]      NOT NULL,
  first_time       timestamptz NOT NULL,
  last_time        timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT incidents_window_order CHECK (window_start < window_end)
);

-- the incident an evaluation extends: the object's latest for the rule
CREATE INDEX incidents_object_idx ON incidents (rule, risk_object, risk_object_type, window_end);
-- the incident report, newest first
CREATE INDEX incidents_window_end_idx ON incidents (window_end);
