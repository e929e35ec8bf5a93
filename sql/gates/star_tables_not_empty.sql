-- Failing rows: every star table that the load left empty.
SELECT table_name
FROM (
    SELECT 'songplays' AS table_name, COUNT(*) AS row_count FROM songplays
    UNION ALL SELECT 'users', COUNT(*) FROM users
    UNION ALL SELECT 'songs', COUNT(*) FROM songs
    UNION ALL SELECT 'artists', COUNT(*) FROM artists
    UNION ALL SELECT 'time', COUNT(*) FROM time
) AS counts
WHERE row_count = 0
