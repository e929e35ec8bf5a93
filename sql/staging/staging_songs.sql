-- Song keys are already the column names: 'auto' maps them.
COPY staging_songs /* sql-formatter-disable */
FROM '{{ songs_uri }}'
IAM_ROLE '{{ role_arn }}'
REGION '{{ source_region }}'
FORMAT AS JSON 'auto'
MAXERROR {{ max_errors }}
COMPUPDATE OFF
STATUPDATE OFF;
