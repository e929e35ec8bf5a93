-- One row per distinct play start_time (songplays' start times are the NextSong events' ts) not
-- already in time: a full load clears time first, an incremental one adds only unseen times. The
-- staged window on t is redundant (t.start_time = e.ts) but lets the engine look only at that part
-- of time (at 100x the events, a hash of the window instead of all 600k start times). weekday: 0 = Sunday; week: ISO week number.
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
    SELECT DISTINCT
      ts AS start_time
    FROM
      staging_events AS e
    WHERE
      e.page = 'NextSong'
      AND e.ts IS NOT NULL
      AND NOT EXISTS (
        SELECT
          1
        FROM
          time AS t
        WHERE
          t.start_time = e.ts
          AND t.start_time BETWEEN (
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
      )
  ) AS play_times;
