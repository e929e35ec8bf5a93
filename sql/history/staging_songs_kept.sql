-- An incremental load keeps staging_songs as the last full load left it: the records that load's
-- COPY read are carried over, so the staging row-count gate still proves the table whole.
UPDATE load_history
SET
  staging_songs_read = kept.staging_songs_read
FROM
  (
    SELECT
      staging_songs_read
    FROM
      load_history
    WHERE
      outcome = 'succeeded'
    ORDER BY
      load_seq DESC
    LIMIT
      1
  ) AS kept
WHERE
  load_history.load_id = '{{ load_id }}'
  AND load_history.outcome = 'running';
