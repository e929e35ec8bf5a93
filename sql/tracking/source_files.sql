-- The listing the load was decided on (written by the executor beside the load's manifest).
COPY source_files (kind, key, size, etag, load_id) /* sql-formatter-disable */
FROM '{{ files_uri }}'
IAM_ROLE '{{ role_arn }}'
FORMAT AS JSON 'auto'
COMPUPDATE OFF
STATUPDATE OFF;
