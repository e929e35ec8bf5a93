-- Data quality: plays, unmatched plays and their share (%), logged-out plays, records the latest good load rejected.
WITH
  latest AS (
    SELECT
      (staging_events_read + staging_songs_read) - (rows_staging_events + rows_staging_songs) AS rejected_records,
      ROW_NUMBER() OVER (
        ORDER BY
          started_at DESC,
          load_seq DESC
      ) AS recency
    FROM
      load_history
    WHERE
      outcome = 'succeeded'
  )
SELECT
  p.plays,
  p.unmatched_plays,
  CAST(
    ROUND(100.0 * p.unmatched_plays / NULLIF(p.plays, 0), 1) AS DECIMAL(4, 1)
  ) AS unmatched_share_pct,
  p.plays_without_user,
  l.latest_load_rejected_records
FROM
  (
    SELECT
      COUNT(*) AS plays,
      COUNT(*) - COUNT(song_id) AS unmatched_plays,
      COUNT(*) - COUNT(user_id) AS plays_without_user
    FROM
      songplays
  ) AS p
  CROSS JOIN (
    SELECT
      MAX(
        CASE
          WHEN recency = 1 THEN rejected_records
        END
      ) AS latest_load_rejected_records
    FROM
      latest
  ) AS l;
