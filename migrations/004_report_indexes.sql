-- What the reports (sql/reports/*.sql) need beyond the indexes of 001-003.
-- hunt report object NAME: matches the name case-insensitively (as ESCU's drilldown does on
-- normalized_risk_object), in a time range.
CREATE INDEX risk_events_object_lower_idx ON risk_events (lower(risk_object), risk_time);
-- hunt report detections: risk events and score per detection without reading the wide heap
-- rows (messages, threat objects): an index-only scan.
CREATE INDEX risk_events_detection_idx ON risk_events (detection_id, risk_time) INCLUDE (risk_score);
