-- The schedule's state per detection version, from the ledger, as of :now.
-- last_done: the latest window whose first run (pass 0) succeeded; failures: windows failed for
-- good (until a later fire time requeues them) and retries waiting; queue: rows due by :now and
-- not yet claimed, and rows whose runner's lease ran out (it died: they wait to be taken over);
-- running: rows claimed with a live lease.
SELECT
  detection_id,
  detection_version,
  max(detection_name) AS detection_name,
  to_char(max(window_latest) FILTER (WHERE status = 'succeeded' AND pass = 0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_done_latest,
  to_char(max(window_earliest) FILTER (WHERE status = 'succeeded' AND pass = 0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_done_earliest,
  count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
  count(*) FILTER (WHERE status = 'failed')::int AS failed,
  count(*) FILTER (WHERE status = 'pending' AND error IS NOT NULL)::int AS retrying,
  count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
  count(*) FILTER (WHERE (status = 'pending' AND due_at <= :now::timestamptz) OR (status = 'running' AND lease_until < :now::timestamptz))::int AS queue,
  count(*) FILTER (WHERE status = 'running' AND lease_until >= :now::timestamptz)::int AS running,
  (array_agg(error ORDER BY finished_at DESC NULLS LAST) FILTER (WHERE status IN ('failed', 'pending') AND error IS NOT NULL))[1] AS last_error
FROM schedule_windows
GROUP BY detection_id, detection_version
ORDER BY detection_id, detection_version
