-- The latest attempt of a load: what the CLI prints and the custom resource returns.
SELECT
  load_id,
  fingerprint,
  started_at,
  finished_at,
  outcome,
  error,
  rows_staging_events,
  rows_staging_songs,
  rows_songplays,
  rows_users,
  rows_songs,
  rows_artists,
  rows_time
FROM
  load_history
WHERE
  load_id = '{{ load_id }}'
ORDER BY
  load_seq DESC
LIMIT
  1;
