-- Failing rows: every NULL or repeated {{ key }} in {{ table }}, with its copies.
SELECT
  '{{ table }}' AS table_name,
  CAST({{ key }} AS VARCHAR) AS key_value,
  COUNT(*) AS copies
FROM
  {{ table }}
GROUP BY
  {{ key }}
HAVING
  {{ key }} IS NULL
  OR COUNT(*) > 1
