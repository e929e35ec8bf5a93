-- Plays per weekday in UTC (0 = Sunday), with days (that weekday's dates from the first to the last play) and plays_per_day.
WITH
  span AS (
    SELECT
      CAST(DATE_PART('dow', MIN(start_time)) AS INTEGER) AS first_weekday,
      DATEDIFF(
        day,
        CAST(MIN(start_time) AS DATE),
        CAST(MAX(start_time) AS DATE)
      ) + 1 AS span_days
    FROM
      songplays
  ),
  weekdays AS (
    SELECT
      0 AS weekday,
      'Sunday' AS weekday_name
    UNION ALL
    SELECT
      1,
      'Monday'
    UNION ALL
    SELECT
      2,
      'Tuesday'
    UNION ALL
    SELECT
      3,
      'Wednesday'
    UNION ALL
    SELECT
      4,
      'Thursday'
    UNION ALL
    SELECT
      5,
      'Friday'
    UNION ALL
    SELECT
      6,
      'Saturday'
  ),
  counted AS (
    SELECT
      t.weekday,
      COUNT(*) AS plays
    FROM
      songplays AS p
      JOIN time AS t ON t.start_time = p.start_time
    GROUP BY
      t.weekday
  ),
  covered AS (
    SELECT
      w.weekday,
      w.weekday_name,
      (
        s.span_days - (w.weekday - s.first_weekday + 7) % 7 + 6
      ) / 7 AS days
    FROM
      weekdays AS w
      CROSS JOIN span AS s
  )
SELECT
  c.weekday,
  c.weekday_name,
  c.days,
  COALESCE(n.plays, 0) AS plays,
  CAST(
    ROUND(1.0 * COALESCE(n.plays, 0) / c.days, 1) AS DECIMAL(18, 1)
  ) AS plays_per_day
FROM
  covered AS c
  LEFT JOIN counted AS n ON n.weekday = c.weekday
WHERE
  c.days > 0
ORDER BY
  c.weekday;
