-- pg_last_copy_count(): the rows the COPY just before this statement loaded, for the staging gate.
UPDATE load_history
SET
  staging_events_read = pg_last_copy_count()
WHERE
  load_id = '{{ load_id }}'
  AND outcome = 'running';
