-- Failing rows: every play whose start_time, or non-null user_id / song_id / artist_id, has no row in
-- its dimension. A NULL user_id is a logged-out play (empty userId): a play, with no user to find.
SELECT 'time' AS dimension, p.songplay_id, CAST(p.start_time AS VARCHAR) AS missing_key
FROM songplays AS p LEFT JOIN time AS t ON t.start_time = p.start_time
WHERE t.start_time IS NULL
UNION ALL
SELECT 'users', p.songplay_id, CAST(p.user_id AS VARCHAR)
FROM songplays AS p LEFT JOIN users AS u ON u.user_id = p.user_id
WHERE p.user_id IS NOT NULL AND u.user_id IS NULL
UNION ALL
SELECT 'songs', p.songplay_id, p.song_id
FROM songplays AS p LEFT JOIN songs AS s ON s.song_id = p.song_id
WHERE p.song_id IS NOT NULL AND s.song_id IS NULL
UNION ALL
SELECT 'artists', p.songplay_id, p.artist_id
FROM songplays AS p LEFT JOIN artists AS a ON a.artist_id = p.artist_id
WHERE p.artist_id IS NOT NULL AND a.artist_id IS NULL
