-- One row per distinct play start_time. weekday: 0 = Sunday; week: ISO week number.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(HOUR FROM start_time),
       EXTRACT(DAY FROM start_time),
       EXTRACT(WEEK FROM start_time),
       EXTRACT(MONTH FROM start_time),
       EXTRACT(YEAR FROM start_time),
       EXTRACT(DOW FROM start_time)
FROM (
    SELECT DISTINCT start_time
    FROM songplays
    WHERE start_time IS NOT NULL
) AS play_times;
