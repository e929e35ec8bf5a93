-- Plays and active users per day (UTC).
SELECT
  CAST(start_time AS DATE) AS day_utc,
  COUNT(*) AS plays,
  COUNT(DISTINCT user_id) AS active_users
FROM
  songplays
GROUP BY
  CAST(start_time AS DATE)
ORDER BY
  day_utc;
