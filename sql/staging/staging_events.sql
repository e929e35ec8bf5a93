-- camelCase keys, so the jsonpaths file maps the 18 fields by position; ts is epoch milliseconds.
-- A full load reads the events prefix; an incremental one a manifest of the new files only.
COPY staging_events /* sql-formatter-disable */
FROM '{{ events_from }}'{{ manifest }}
IAM_ROLE '{{ role_arn }}'
REGION '{{ source_region }}'
FORMAT AS JSON '{{ jsonpaths_uri }}'
TIMEFORMAT 'epochmillisecs'
MAXERROR {{ max_errors }}
COMPUPDATE OFF
STATUPDATE OFF;
