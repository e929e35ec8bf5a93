-- Failing rows: a staging table whose row count differs from what its COPY reported loading.
SELECT
  counts.table_name,
  counts.records_read,
  counts.rows_in_table
FROM
  (
    SELECT
      'staging_events' AS table_name,
      h.staging_events_read AS records_read,
      e.n AS rows_in_table
    FROM
      load_history AS h
      CROSS JOIN (
        SELECT
          COUNT(*) AS n
        FROM
          staging_events
      ) AS e
    WHERE
      h.load_id = '{{ load_id }}'
      AND h.outcome = 'running'
    UNION ALL
    SELECT
      'staging_songs',
      h.staging_songs_read,
      s.n
    FROM
      load_history AS h
      CROSS JOIN (
        SELECT
          COUNT(*) AS n
        FROM
          staging_songs
      ) AS s
    WHERE
      h.load_id = '{{ load_id }}'
      AND h.outcome = 'running'
  ) AS counts
WHERE
  counts.records_read IS NULL
  OR counts.records_read <> counts.rows_in_table
