-- The top ten artists by plays (matched plays only), with every artist tied with the tenth (RANK() <= 10).
SELECT
  rank,
  artist,
  plays,
  listeners
FROM
  (
    SELECT
      RANK() OVER (
        ORDER BY
          COUNT(*) DESC
      ) AS rank,
      a.name AS artist,
      COUNT(*) AS plays,
      COUNT(DISTINCT p.user_id) AS listeners
    FROM
      songplays AS p
      JOIN artists AS a ON a.artist_id = p.artist_id
    GROUP BY
      a.name
  ) AS ranked
WHERE
  rank <= 10
ORDER BY
  rank,
  artist;
