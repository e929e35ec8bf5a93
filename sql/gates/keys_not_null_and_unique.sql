-- Failing rows: every NULL or repeated key in the star tables (Redshift does not enforce keys).
SELECT 'songplays' AS table_name, songplay_id AS key_value, COUNT(*) AS copies
FROM songplays GROUP BY songplay_id HAVING songplay_id IS NULL OR COUNT(*) > 1
UNION ALL
SELECT 'users', CAST(user_id AS VARCHAR), COUNT(*)
FROM users GROUP BY user_id HAVING user_id IS NULL OR COUNT(*) > 1
UNION ALL
SELECT 'songs', song_id, COUNT(*)
FROM songs GROUP BY song_id HAVING song_id IS NULL OR COUNT(*) > 1
UNION ALL
SELECT 'artists', artist_id, COUNT(*)
FROM artists GROUP BY artist_id HAVING artist_id IS NULL OR COUNT(*) > 1
UNION ALL
SELECT 'time', CAST(start_time AS VARCHAR), COUNT(*)
FROM time GROUP BY start_time HAVING start_time IS NULL OR COUNT(*) > 1
