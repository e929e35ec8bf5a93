-- Dimension: one row per artist_id. Small: copied to all nodes.
CREATE TABLE IF NOT EXISTS artists (
  artist_id VARCHAR(32),
  name VARCHAR(1024),
  location VARCHAR(1024),
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  PRIMARY KEY (artist_id)
) DISTSTYLE ALL SORTKEY (artist_id);
