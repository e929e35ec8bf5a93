-- The load the warehouse holds now.
SELECT
  load_id,
  fingerprint,
  finished_at
FROM
  load_history
WHERE
  outcome = 'succeeded'
ORDER BY
  load_seq DESC
LIMIT
  1;
