/**
 * The history the reports benchmark reads: 1,000,000 risk events over 90 days from 50
 * detections and 3,000 objects (a few busy, most quiet), the 108,000 hourly runs they came from,
 * their ledger rows (plus skipped windows), and 5,000 incidents. Written in SQL with
 * generate_series (saveRun would take minutes for this much), seeded with setseed so every run
 * of the benchmark reads the same data.
 */
import { sql, type DatabasePool } from 'slonik';

export const SEED = {
  events: 1_000_000,
  detections: 50,
  days: 90,
  users: 2_000,
  systems: 800,
  others: 200,
  incidents: 5_000,
  /** the first window starts here; the last ends `days` later */
  start: '2024-01-01T00:00:00Z',
} as const;

export const SEED_END = new Date(Date.parse(SEED.start) + SEED.days * 86_400_000).toISOString();

const OBJECTS = SEED.users + SEED.systems + SEED.others;

export async function seedReports(pool: DatabasePool): Promise<void> {
  const hours = SEED.days * 24;
  const runs = SEED.detections * hours;
  await pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`TRUNCATE runs, findings, risk_events, schedule_windows, schedule_state, incidents`);
    await tx.query(sql.unsafe`SELECT setseed(0.42)`);
    // Detections: each tags one to three techniques of a cloud-flavoured list, with their tactics.
    await tx.query(sql.unsafe`
      CREATE TEMP TABLE bench_detections ON COMMIT DROP AS
      SELECT d,
             'bench-det-' || lpad(d::text, 2, '0') AS id,
             'Bench Detection ' || lpad(d::text, 2, '0') AS name,
             1 + d % 3 AS version,
             t.techniques, t.tactics,
             d % 2 = 0 AS athena
      FROM generate_series(1, ${SEED.detections}) d
      CROSS JOIN LATERAL (
        SELECT string_to_array((ARRAY['T1078.004,T1098', 'T1110.001,T1110.003', 'T1526,T1580', 'T1562.008,T1070', 'T1530,T1537',
                                      'T1204.003,T1525'])[1 + d % 6], ',') AS techniques,
               string_to_array((ARRAY['Initial Access,Persistence,Privilege Escalation,Defense Evasion', 'Credential Access', 'Discovery',
                                      'Defense Evasion', 'Collection,Exfiltration', 'Execution,Persistence'])[1 + d % 6], ',') AS tactics
      ) t`);
    // Runs: every detection every hour; 1% failed; Athena ones scanned some bytes.
    await tx.query(sql.unsafe`
      INSERT INTO runs (id, detection_id, detection_version, window_earliest, window_latest, detection_name, trigger, engine,
                        status, started_at, finished_at, sql, error, stats, result_count)
      SELECT md5('run' || n)::uuid, d.id, d.version, w, w + interval '1 hour', d.name,
             CASE WHEN h < 24 * 30 THEN 'backfill' ELSE 'schedule' END,
             CASE WHEN d.athena THEN 'athena' ELSE 'duckdb' END,
             CASE WHEN failed THEN 'failed' ELSE 'succeeded' END,
             w + interval '70 minutes', w + interval '71 minutes', 'SELECT …',
             CASE WHEN failed THEN 'ThrottlingException: Rate exceeded' END,
             CASE WHEN d.athena THEN jsonb_build_object('engine', 'athena', 'data_scanned_bytes', (random() * 5e8)::bigint) ELSE '{}' END,
             CASE WHEN failed THEN 0 ELSE (random() * 12)::int END
      FROM generate_series(0, ${runs - 1}) n
      CROSS JOIN LATERAL (SELECT n / ${SEED.detections} AS h, 1 + n % ${SEED.detections} AS dn, random() < 0.01 AS failed) k
      JOIN bench_detections d ON d.d = k.dn
      CROSS JOIN LATERAL (SELECT ${SEED.start}::timestamptz + k.h * interval '1 hour' AS w) t`);
    // The ledger: one row per run, and some skipped windows (the daemon was down) with no run.
    await tx.query(sql.unsafe`
      INSERT INTO schedule_windows (detection_id, detection_version, window_earliest, window_latest, pass, detection_name, fire_time,
                                    trigger, status, due_at, attempts, round_attempts, started_at, finished_at, run_id, result_count,
                                    error, planned_at)
      SELECT detection_id, detection_version, window_earliest, window_latest, 0, detection_name, window_latest + interval '10 minutes',
             trigger, status, window_latest + interval '10 minutes', 1, 1, started_at, finished_at, id, result_count, error, started_at
      FROM runs`);
    await tx.query(sql.unsafe`
      INSERT INTO schedule_windows (detection_id, detection_version, window_earliest, window_latest, pass, detection_name, fire_time,
                                    trigger, status, due_at, error, error_kind, planned_at)
      SELECT r.detection_id, r.detection_version, r.window_earliest, r.window_latest, 1, r.detection_name, r.window_latest + interval '1 day',
             'schedule', 'skipped', r.window_latest + interval '1 day', 'older than the catch-up limit', 'skipped', r.window_latest + interval '1 day'
      FROM runs r WHERE random() < 0.02`);
    // Risk events: objects drawn with a skew (u³: the first objects are the busy ones). As in real
    // RBA data an object trips a few detections again and again rather than all of them: object o
    // has a profile of 2 to 8 detections, and each event is one of them, in a random hour's run,
    // stamped with the run's window end.
    await tx.query(sql.unsafe`
      CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
      SELECT o, floor(random() * ${hours})::int * ${SEED.detections} + (o * 7 + floor(random() * (2 + o % 7))::int) % ${SEED.detections} AS rn,
             5 * (1 + floor(random() * 16)::int) AS score
      FROM (SELECT floor(random() ^ 3 * ${OBJECTS})::int AS o FROM generate_series(1, ${SEED.events})) d`);
    await tx.query(sql.unsafe`
      INSERT INTO risk_events (run_id, ordinal, risk_time, risk_object, risk_object_type, risk_score, risk_message,
                               detection_id, detection_name, detection_version, mitre_attack_ids, mitre_tactics, analytic_stories,
                               threat_objects, window_earliest, window_latest)
      SELECT r.id, (row_number() OVER (PARTITION BY b.rn) - 1)::int, r.window_latest, ob.name, ob.type, b.score,
             'Suspicious activity by ' || ob.name || ' from 203.0.113.' || (b.o % 250),
             r.detection_id, r.detection_name, r.detection_version, d.techniques, d.tactics, ARRAY['Bench Story'],
             jsonb_build_array(jsonb_build_object('value', '203.0.113.' || (b.o % 250), 'type', 'ip_address')),
             r.window_earliest, r.window_latest
      FROM bench_draws b
      JOIN runs r ON r.id = md5('run' || b.rn)::uuid
      JOIN bench_detections d ON d.id = r.detection_id
      CROSS JOIN LATERAL (
        SELECT CASE WHEN b.o < ${SEED.users} THEN 'user-' || b.o
                    WHEN b.o < ${SEED.users + SEED.systems} THEN 'host-' || b.o || '.example.com'
                    ELSE 'arn:aws:s3:::bucket-' || b.o END AS name,
               CASE WHEN b.o < ${SEED.users} THEN 'user' WHEN b.o < ${SEED.users + SEED.systems} THEN 'system' ELSE 'other' END AS type
      ) ob`);
    // Incidents: a day's or a week's window for objects, spread over the 90 days.
    await tx.query(sql.unsafe`
      INSERT INTO incidents (rule, risk_object, risk_object_type, window_start, window_end, status, total_score, risk_events,
                             detections, tactics, techniques, first_time, last_time, created_at, updated_at)
      SELECT CASE WHEN i % 3 = 0 THEN 'attack_tactics_7d' ELSE 'risk_score_24h' END, 'user-' || (i % ${SEED.users}), 'user',
             e - CASE WHEN i % 3 = 0 THEN interval '7 days' ELSE interval '1 day' END, e,
             CASE WHEN random() < 0.7 THEN 'closed' ELSE 'open' END,
             100 + (random() * 400)::int, 5 + (random() * 40)::int,
             ARRAY['Bench Detection 01', 'Bench Detection 07'], ARRAY['Initial Access', 'Persistence', 'Discovery'], ARRAY['T1078.004', 'T1526'],
             e - interval '20 hours', e, e, e
      FROM generate_series(1, ${SEED.incidents}) i
      CROSS JOIN LATERAL (SELECT ${SEED.start}::timestamptz + interval '1 day' + (i * ${((SEED.days - 1) * 86_400) / SEED.incidents}::float8) * interval '1 second' AS e) t`);
  });
  await pool.query(sql.unsafe`VACUUM ANALYZE runs`);
  await pool.query(sql.unsafe`VACUUM ANALYZE risk_events`);
  await pool.query(sql.unsafe`VACUUM ANALYZE schedule_windows`);
  await pool.query(sql.unsafe`VACUUM ANALYZE incidents`);
}
