-- Mirrors one song file: the 10 keys, named as in the source so COPY 'auto' maps them.
-- DISTKEY(title): co-located with staging_events.song for the play-to-song match.
CREATE TABLE IF NOT EXISTS staging_songs (
  num_songs INTEGER,
  artist_id VARCHAR(32),
  artist_latitude DOUBLE PRECISION,
  artist_longitude DOUBLE PRECISION,
  artist_location VARCHAR(1024),
  artist_name VARCHAR(1024),
  song_id VARCHAR(32),
  title VARCHAR(1024),
  duration DOUBLE PRECISION,
  year INTEGER
) DISTSTYLE KEY DISTKEY (title);
