-- Each user's latest event and the sort key it won on, kept across loads: an incremental load
-- ranks only the new events against it, and users is rebuilt from it (docs/incremental-loads.md).
CREATE TABLE IF NOT EXISTS user_latest_event (
  user_id VARCHAR(64) NOT NULL,
  ts TIMESTAMP,
  session_id INTEGER,
  item_in_session INTEGER,
  level VARCHAR(16),
  first_name VARCHAR(256),
  last_name VARCHAR(256),
  gender VARCHAR(16),
  load_id VARCHAR(128) NOT NULL
) DISTSTYLE ALL SORTKEY (user_id);
