UPDATE load_history
SET
  finished_at = GETDATE(),
  outcome = 'succeeded',
  rows_staging_events = se.n,
  rows_staging_songs = ss.n,
  rows_songplays = sp.n,
  rows_users = u.n,
  rows_songs = s.n,
  rows_artists = a.n,
  rows_time = t.n
FROM
  (
    SELECT
      COUNT(*) AS n
    FROM
      staging_events
  ) AS se,
  (
    SELECT
      COUNT(*) AS n
    FROM
      staging_songs
  ) AS ss,
  (
    SELECT
      COUNT(*) AS n
    FROM
      songplays
  ) AS sp,
  (
    SELECT
      COUNT(*) AS n
    FROM
      users
  ) AS u,
  (
    SELECT
      COUNT(*) AS n
    FROM
      songs
  ) AS s,
  (
    SELECT
      COUNT(*) AS n
    FROM
      artists
  ) AS a,
  (
    SELECT
      COUNT(*) AS n
    FROM
      time
  ) AS t
WHERE
  load_history.load_id = '{{ load_id }}'
  AND load_history.outcome = 'running';
