-- Fact: one row per NextSong event. Distributed on start_time (even spread, node-local join to
-- time) and sorted on it, since analysts filter by period; users/songs/artists are DISTSTYLE ALL.
-- songplay_id is the MD5 of the event's natural key, so an event keeps its id on every reload.
CREATE TABLE IF NOT EXISTS songplays (
  songplay_id CHAR(32),
  start_time TIMESTAMP,
  user_id INTEGER,
  level VARCHAR(16),
  song_id VARCHAR(32),
  artist_id VARCHAR(32),
  session_id INTEGER,
  location VARCHAR(1024),
  user_agent VARCHAR(2048),
  PRIMARY KEY (songplay_id),
  FOREIGN KEY (start_time) REFERENCES time (start_time),
  FOREIGN KEY (user_id) REFERENCES users (user_id),
  FOREIGN KEY (song_id) REFERENCES songs (song_id),
  FOREIGN KEY (artist_id) REFERENCES artists (artist_id)
) DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
