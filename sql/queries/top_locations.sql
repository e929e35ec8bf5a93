-- The top ten locations by plays, with every location tied with the tenth (RANK() <= 10).
SELECT
  rank,
  location,
  plays,
  listeners
FROM
  (
    SELECT
      RANK() OVER (
        ORDER BY
          COUNT(*) DESC
      ) AS rank,
      location,
      COUNT(*) AS plays,
      COUNT(DISTINCT user_id) AS listeners
    FROM
      songplays
    WHERE
      location IS NOT NULL
    GROUP BY
      location
  ) AS ranked
WHERE
  rank <= 10
ORDER BY
  rank,
  location;
