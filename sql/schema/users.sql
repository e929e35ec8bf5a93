-- Dimension: one row per identified user. Small and joined from every play: copied to all nodes.
-- Keys are informational in Redshift; the gates in sql/gates prove them.
CREATE TABLE IF NOT EXISTS users (
  user_id INTEGER,
  first_name VARCHAR(256),
  last_name VARCHAR(256),
  gender VARCHAR(16),
  level VARCHAR(16),
  PRIMARY KEY (user_id)
) DISTSTYLE ALL SORTKEY (user_id);
