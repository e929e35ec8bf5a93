-- One row per load attempt. A failed load's row is written after its rollback, in its own transaction.
CREATE TABLE IF NOT EXISTS load_history (
  load_seq BIGINT IDENTITY (1, 1),
  load_id VARCHAR(128) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  outcome VARCHAR(16) NOT NULL,
  error VARCHAR(4096),
  staging_events_read BIGINT,
  staging_songs_read BIGINT,
  rows_staging_events BIGINT,
  rows_staging_songs BIGINT,
  rows_songplays BIGINT,
  rows_users BIGINT,
  rows_songs BIGINT,
  rows_artists BIGINT,
  rows_time BIGINT
) DISTSTYLE ALL SORTKEY (started_at);
