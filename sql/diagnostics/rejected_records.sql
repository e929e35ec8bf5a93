-- The first records a failed COPY rejected. Redshift keeps them outside the rolled-back
-- transaction; SYS_LOAD_ERROR_DETAIL serves provisioned clusters and Serverless alike
-- (STL_LOAD_ERRORS is provisioned only).
SELECT
  TRIM(file_name) AS file_name,
  line_number,
  TRIM(column_name) AS column_name,
  TRIM(error_message) AS error_message
FROM
  sys_load_error_detail
WHERE
  start_time >= '{{ since }}'
  AND LEFT(TRIM(file_name), {{ source_uri_length }}) = '{{ source_uri }}'
  AND TRIM(database_name) = CURRENT_DATABASE()
ORDER BY
  start_time DESC,
  line_number
LIMIT
  {{ limit }};
