-- Failing row: {{ table }}.{{ column }}, when it holds NULLs, with how many.
SELECT
  '{{ table }}' AS table_name,
  '{{ column }}' AS column_name,
  nulls
FROM
  (
    SELECT
      COUNT(*) AS nulls
    FROM
      {{ table }}
    WHERE
      {{ column }} IS NULL
  ) AS counted
WHERE
  nulls > 0
