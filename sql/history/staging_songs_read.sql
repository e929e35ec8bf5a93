UPDATE load_history
SET
  staging_songs_read = pg_last_copy_count()
WHERE
  load_id = '{{ load_id }}'
  AND outcome = 'running';
