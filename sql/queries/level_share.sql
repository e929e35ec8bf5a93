-- Free versus paid: share of plays by the level at the time of the play.
SELECT
  level,
  COUNT(*) AS plays,
  CAST(
    ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS DECIMAL(4, 1)
  ) AS percent_of_plays
FROM
  songplays
GROUP BY
  level
ORDER BY
  level;
