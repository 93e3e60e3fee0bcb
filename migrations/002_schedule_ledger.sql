-- The schedule's ledger: every window of every scheduled (or backfilled) detection, with what
-- happened to it. One row per (detection, version, window, pass): pass 0 is the window's run,
-- passes 1..N the late-data re-runs (schedule.rerun_last). Runners claim rows with
-- FOR UPDATE SKIP LOCKED and a lease, so several instances never run one row at once and a
-- crashed runner's row is taken over once its lease runs out (see src/store/ledger.ts).

CREATE TABLE schedule_windows (
  detection_id      text        NOT NULL,
  detection_version integer     NOT NULL,
  -- earliest inclusive, latest exclusive (as in runs)
  window_earliest   timestamptz NOT NULL,
  window_latest     timestamptz NOT NULL,
  pass              smallint    NOT NULL DEFAULT 0 CHECK (pass >= 0),
  detection_name    text        NOT NULL,
  -- the scheduled fire time the window was computed from (backfill: the same fire times)
  fire_time         timestamptz NOT NULL,
  trigger           text        NOT NULL CHECK (trigger IN ('schedule', 'backfill')),
  status            text        NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
  -- claimable from (pending rows); retries move it forward with their backoff
  due_at            timestamptz NOT NULL,
  -- every start, over the row's whole life
  attempts          integer     NOT NULL DEFAULT 0,
  -- starts since the row was last (re)queued: bounded by schedule.max_attempts
  round_attempts    integer     NOT NULL DEFAULT 0,
  -- the current claim: who holds it, its fencing token, until when
  claimed_by        text,
  claim_id          uuid,
  lease_until       timestamptz,
  first_started_at  timestamptz,
  started_at        timestamptz,
  finished_at       timestamptz,
  duration_ms       integer,
  run_id            uuid REFERENCES runs (id) ON DELETE SET NULL,
  result_count      integer,
  stats             jsonb       NOT NULL DEFAULT '{}',
  error             text,
  error_kind        text CHECK (error_kind IN ('transient', 'permanent', 'skipped')),
  planned_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (detection_id, detection_version, window_earliest, window_latest, pass),
  CONSTRAINT schedule_windows_order CHECK (window_earliest <= window_latest),
  CONSTRAINT schedule_windows_claim CHECK ((status = 'running') = (claim_id IS NOT NULL))
);

-- the claim scan: due rows, oldest window first
CREATE INDEX schedule_windows_claimable_idx ON schedule_windows (window_latest, pass)
  WHERE status IN ('pending', 'running');
-- status per detection: last window done, failures, queue
CREATE INDEX schedule_windows_detection_idx ON schedule_windows (detection_id, status, window_latest);

-- How far each detection's fire times have been planned into the ledger. A fire time after
-- planned_through that is found only later (the daemon was down) is run, or recorded as
-- skipped when it is older than the catch-up limit.
CREATE TABLE schedule_state (
  detection_id    text        PRIMARY KEY,
  planned_through timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
