-- Plays per hour of the day, in UTC (hour_utc 0-23).
SELECT
  t.hour AS hour_utc,
  COUNT(*) AS plays
FROM
  songplays AS p
  JOIN time AS t ON t.start_time = p.start_time
GROUP BY
  t.hour
ORDER BY
  hour_utc;
