-- Per detection (id) over windows ending in [:since, :until) — a run's risk events count at its
-- window's end, so runs, ledger rows and risk events are all selected by that same time:
-- runs (by trigger, failed), ledger rows by outcome (a window's late-data re-runs are rows of
-- their own), findings (result rows), risk events and their total score, the data Athena
-- scanned (NULL when no run recorded any: DuckDB runs have no such statistic), the last run
-- and the last failed run's error. Name: the latest run's (else the ledger's, the events').
-- Ordered by name ("C" collation), then id.
WITH r AS (
  SELECT detection_id,
         (array_agg(detection_name ORDER BY window_latest DESC, finished_at DESC))[1] AS detection_name,
         array_agg(DISTINCT detection_version ORDER BY detection_version) AS versions,
         count(*)::int AS runs,
         count(*) FILTER (WHERE trigger = 'schedule')::int AS runs_schedule,
         count(*) FILTER (WHERE trigger = 'backfill')::int AS runs_backfill,
         count(*) FILTER (WHERE trigger = 'adhoc')::int AS runs_adhoc,
         count(*) FILTER (WHERE trigger = 'demo')::int AS runs_demo,
         count(*) FILTER (WHERE status = 'failed')::int AS runs_failed,
         sum(result_count)::int AS findings,
         sum((stats ->> 'data_scanned_bytes')::numeric) FILTER (WHERE jsonb_typeof(stats -> 'data_scanned_bytes') = 'number') AS data_scanned_bytes,
         max(finished_at) AS last_run,
         (array_agg(error ORDER BY finished_at DESC) FILTER (WHERE status = 'failed' AND error IS NOT NULL))[1] AS last_error
  FROM runs
  WHERE window_latest >= coalesce(:since::timestamptz, '-infinity')
    AND window_latest < coalesce(:until::timestamptz, 'infinity')
  GROUP BY detection_id
), w AS (
  SELECT detection_id,
         max(detection_name) AS detection_name,
         count(*) FILTER (WHERE status = 'succeeded')::int AS windows_succeeded,
         count(*) FILTER (WHERE status = 'failed')::int AS windows_failed,
         count(*) FILTER (WHERE status = 'skipped')::int AS windows_skipped,
         count(*) FILTER (WHERE status IN ('pending', 'running'))::int AS windows_pending
  FROM schedule_windows
  WHERE window_latest >= coalesce(:since::timestamptz, '-infinity')
    AND window_latest < coalesce(:until::timestamptz, 'infinity')
  GROUP BY detection_id
), b AS (
  -- whole months from risk_rollup, the edges [since, a) and [c, until) from risk_events
  SELECT * FROM risk_rollup_split(:since::timestamptz, :until::timestamptz)
), k AS (
  SELECT detection_id, max(detection_name) AS detection_name, sum(n)::int AS risk_events, sum(score) AS total_score
  FROM (
    SELECT r.detection_id, r.detection_name, r.events AS n, r.score
    FROM risk_rollup r, b WHERE r.month >= b.lo AND r.month < b.hi
    UNION ALL
    SELECT e.detection_id, e.detection_name, 1, e.risk_score
    FROM b JOIN risk_events e ON e.risk_time >= b.since AND e.risk_time < b.a
    UNION ALL
    SELECT e.detection_id, e.detection_name, 1, e.risk_score
    FROM b JOIN risk_events e ON e.risk_time >= b.c AND e.risk_time < b.until
  ) u
  GROUP BY detection_id
)
SELECT
  detection_id,
  coalesce(r.detection_name, w.detection_name, k.detection_name) AS detection_name,
  coalesce(r.versions, '{}') AS versions,
  coalesce(r.runs, 0) AS runs,
  coalesce(r.runs_schedule, 0) AS runs_schedule,
  coalesce(r.runs_backfill, 0) AS runs_backfill,
  coalesce(r.runs_adhoc, 0) AS runs_adhoc,
  coalesce(r.runs_demo, 0) AS runs_demo,
  coalesce(r.runs_failed, 0) AS runs_failed,
  coalesce(w.windows_succeeded, 0) AS windows_succeeded,
  coalesce(w.windows_failed, 0) AS windows_failed,
  coalesce(w.windows_skipped, 0) AS windows_skipped,
  coalesce(w.windows_pending, 0) AS windows_pending,
  coalesce(r.findings, 0) AS findings,
  coalesce(k.risk_events, 0) AS risk_events,
  coalesce(k.total_score, 0)::float8 AS total_score,
  r.data_scanned_bytes::float8 AS data_scanned_bytes,
  to_char(r.last_run AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_run,
  r.last_error
FROM r
FULL JOIN w USING (detection_id)
FULL JOIN k USING (detection_id)
ORDER BY coalesce(r.detection_name, w.detection_name, k.detection_name) COLLATE "C", detection_id COLLATE "C"
