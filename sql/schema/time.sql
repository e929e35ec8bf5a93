-- Dimension: one row per distinct play start_time. It grows with the fact, so it is not copied to
-- all nodes: it shares songplays' distribution key, which makes the time join node-local.
CREATE TABLE IF NOT EXISTS time (
  start_time TIMESTAMP,
  hour SMALLINT,
  day SMALLINT,
  week SMALLINT,
  month SMALLINT,
  year SMALLINT,
  weekday SMALLINT,
  PRIMARY KEY (start_time)
) DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
