-- Failing row: {{ table }}, when the load left it empty. Emptiness needs one row, not a count:
-- LIMIT 1 stops the scan at the first row.
SELECT
  '{{ table }}' AS table_name
FROM
  (
    SELECT
      COUNT(*) AS row_count
    FROM
      (
        SELECT
          1 AS found
        FROM
          {{ table }}
        LIMIT
          1
      ) AS t
  ) AS counts
WHERE
  row_count = 0
