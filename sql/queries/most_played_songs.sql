-- The top ten songs by plays (matched plays only), with every song tied with the tenth (RANK() <= 10).
SELECT
  rank,
  title,
  artist,
  plays
FROM
  (
    SELECT
      RANK() OVER (
        ORDER BY
          COUNT(*) DESC
      ) AS rank,
      s.title,
      a.name AS artist,
      COUNT(*) AS plays
    FROM
      songplays AS p
      JOIN songs AS s ON s.song_id = p.song_id
      JOIN artists AS a ON a.artist_id = p.artist_id
    GROUP BY
      s.title,
      a.name
  ) AS ranked
WHERE
  rank <= 10
ORDER BY
  rank,
  title,
  artist;
