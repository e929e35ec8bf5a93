-- Dimension: one row per song_id. ~15k rows in the real bucket: small enough to copy to all nodes.
CREATE TABLE IF NOT EXISTS songs (
  song_id VARCHAR(32),
  title VARCHAR(1024),
  artist_id VARCHAR(32),
  year INTEGER,
  duration DOUBLE PRECISION,
  PRIMARY KEY (song_id)
) DISTSTYLE ALL SORTKEY (song_id);
