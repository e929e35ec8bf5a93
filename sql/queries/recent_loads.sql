-- The last ten loads, newest first (UTC): outcome, seconds in the load's transaction, songplays rows, staging records read, loaded and rejected.
-- transaction_seconds is what load_history records, started_at to finished_at: the load's
-- transaction (a failed one's until its failure was recorded), not the time `sparkify load` also
-- spends opening the warehouse, listing the source and reclaiming space, which it prints beside it.
SELECT
  load_id,
  outcome,
  started_at,
  finished_at,
  CAST(
    ROUND(
      DATEDIFF(millisecond, started_at, finished_at) / 1000.0,
      1
    ) AS DECIMAL(18, 1)
  ) AS transaction_seconds,
  rows_songplays,
  staging_events_read + staging_songs_read AS records_read,
  rows_staging_events + rows_staging_songs AS records_loaded,
  (staging_events_read + staging_songs_read) - (rows_staging_events + rows_staging_songs) AS rejected_records,
  error
FROM
  load_history
ORDER BY
  started_at DESC,
  load_seq DESC
LIMIT
  10;
