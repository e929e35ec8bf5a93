-- Failing rows: every NULL or repeated {{ key }} in {{ table }}, with its copies ({{ rows }}: the
-- table, or the rows an incremental load may have added to it).
SELECT
  '{{ table }}' AS table_name,
  CAST({{ key }} AS VARCHAR) AS key_value,
  COUNT(*) AS copies
FROM
  {{ rows }} AS t
GROUP BY
  {{ key }}
HAVING
  {{ key }} IS NULL
  OR COUNT(*) > 1
