-- Failing rows: every star table that the load left empty. Emptiness needs one row, not a count:
-- LIMIT 1 stops each scan at the first row.
SELECT table_name
FROM (
    SELECT 'songplays' AS table_name, COUNT(*) AS row_count FROM (SELECT 1 AS found FROM songplays LIMIT 1) AS t
    UNION ALL SELECT 'users', COUNT(*) FROM (SELECT 1 AS found FROM users LIMIT 1) AS t
    UNION ALL SELECT 'songs', COUNT(*) FROM (SELECT 1 AS found FROM songs LIMIT 1) AS t
    UNION ALL SELECT 'artists', COUNT(*) FROM (SELECT 1 AS found FROM artists LIMIT 1) AS t
    UNION ALL SELECT 'time', COUNT(*) FROM (SELECT 1 AS found FROM time LIMIT 1) AS t
) AS counts
WHERE row_count = 0
