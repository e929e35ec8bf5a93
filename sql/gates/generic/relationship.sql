-- Failing rows: every row of {{ rows }} (a table, or the rows an incremental load may have added
-- to it) whose {{ column }} has no row in {{ target }} ({{ target_rows }}: the table, or the part
-- of it those rows can name). A NULL fails only when the manifest says the column is not null
-- ({{ null_fails }}).
SELECT
  '{{ target }}' AS dimension,
  f.{{ key }} AS {{ key }},
  CAST(f.{{ column }} AS VARCHAR) AS missing_key
FROM
  {{ rows }} AS f
  LEFT JOIN {{ target_rows }} AS d ON d.{{ target_key }} = f.{{ column }}
WHERE
  d.{{ target_key }} IS NULL
  AND (
    {{ null_fails }}
    OR f.{{ column }} IS NOT NULL
  )
