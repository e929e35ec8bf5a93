-- The ten artists played most (matched plays only).
SELECT
  a.name AS artist,
  COUNT(*) AS plays,
  COUNT(DISTINCT p.user_id) AS listeners
FROM
  songplays AS p
  JOIN artists AS a ON a.artist_id = p.artist_id
GROUP BY
  a.name
ORDER BY
  plays DESC,
  a.name
LIMIT
  10;
