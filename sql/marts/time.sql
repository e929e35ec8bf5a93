-- One row per distinct play start_time (songplays' start times are the NextSong events' ts) not
-- already in time: a full load clears time first, an incremental one adds only unseen times.
-- EXCEPT, not NOT EXISTS: a set difference never turns into a nested loop over time when the
-- engine misjudges how many events are staged (a day on 100k events took 6.6 s so on PostgreSQL);
-- and only the staged window of time can hold one of their ts.
-- weekday: 0 = Sunday; week: ISO week number.
-- DATE_PART, not EXTRACT: the same date parts, as DOUBLE PRECISION; PostgreSQL's EXTRACT returns
-- NUMERIC, which costs the offline twin a fifth of this step at 100x the events.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT
  start_time,
  DATE_PART('hour', start_time),
  DATE_PART('day', start_time),
  DATE_PART('week', start_time),
  DATE_PART('month', start_time),
  DATE_PART('year', start_time),
  DATE_PART('dow', start_time)
FROM
  (
    SELECT
      ts AS start_time
    FROM
      staging_events
    WHERE
      page = 'NextSong'
      AND ts IS NOT NULL
    EXCEPT
    SELECT
      start_time
    FROM
      time
    WHERE
      start_time BETWEEN (
        SELECT
          MIN(ts)
        FROM
          staging_events
      ) AND (
        SELECT
          MAX(ts)
        FROM
          staging_events
      )
  ) AS play_times;
