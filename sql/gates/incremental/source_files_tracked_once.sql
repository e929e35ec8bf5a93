-- Failing rows: a source object tracked twice, e.g. a second load that raced this one on the same
-- new files and would append their plays twice.
SELECT
  key,
  COUNT(*) AS times_tracked
FROM
  source_files
GROUP BY
  key
HAVING
  COUNT(*) > 1
