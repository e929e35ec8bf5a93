-- Free versus paid over time: plays per day (UTC) by the level at the time of the play.
SELECT
  CAST(start_time AS DATE) AS day_utc,
  level,
  COUNT(*) AS plays
FROM
  songplays
GROUP BY
  CAST(start_time AS DATE),
  level
ORDER BY
  day_utc,
  level;
