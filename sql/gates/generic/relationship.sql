-- Failing rows: every {{ table }} row whose {{ column }} has no row in {{ target }}. A NULL fails
-- only when the manifest says the column is not null ({{ null_fails }}).
SELECT
  '{{ target }}' AS dimension,
  f.{{ key }} AS {{ key }},
  CAST(f.{{ column }} AS VARCHAR) AS missing_key
FROM
  {{ table }} AS f
  LEFT JOIN {{ target }} AS d ON d.{{ target_key }} = f.{{ column }}
WHERE
  d.{{ target_key }} IS NULL
  AND (
    {{ null_fails }}
    OR f.{{ column }} IS NOT NULL
  )
