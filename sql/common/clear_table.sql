-- DELETE, not TRUNCATE: TRUNCATE commits in Redshift and would expose a half load to readers.
DELETE FROM {{ table }};
