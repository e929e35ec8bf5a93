-- Mirrors one log event: all 18 fields in log_json_path.json order (COPY maps them by position).
-- userId stays a string, as in the source ("" for logged-out events); the marts cast it.
-- DISTKEY(song): the songplays transform joins on the song title, so plays and songs sit together.
CREATE TABLE IF NOT EXISTS staging_events (
  artist VARCHAR(1024),
  auth VARCHAR(32),
  first_name VARCHAR(256),
  gender VARCHAR(16),
  item_in_session INTEGER,
  last_name VARCHAR(256),
  length DOUBLE PRECISION,
  level VARCHAR(16),
  location VARCHAR(1024),
  method VARCHAR(16),
  page VARCHAR(64),
  registration DOUBLE PRECISION,
  session_id INTEGER,
  song VARCHAR(1024),
  status INTEGER,
  ts TIMESTAMP,
  user_agent VARCHAR(2048),
  user_id VARCHAR(64)
) DISTSTYLE KEY DISTKEY (song);
