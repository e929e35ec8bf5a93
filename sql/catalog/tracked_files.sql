-- The source objects the warehouse's committed loads read, in the listing's (key) order.
SELECT
  kind,
  key,
  size,
  etag,
  load_id
FROM
  source_files
ORDER BY
  key;
