-- Headline figures: plays, listeners, paid and matched shares of plays (%), first and last play (UTC).
SELECT
  COUNT(*) AS plays,
  COUNT(DISTINCT user_id) AS listeners,
  CAST(
    ROUND(
      100.0 * SUM(
        CASE
          WHEN level = 'paid' THEN 1
          ELSE 0
        END
      ) / NULLIF(COUNT(*), 0),
      1
    ) AS DECIMAL(4, 1)
  ) AS paid_share_pct,
  CAST(
    ROUND(100.0 * COUNT(song_id) / NULLIF(COUNT(*), 0), 1) AS DECIMAL(4, 1)
  ) AS matched_share_pct,
  MIN(start_time) AS first_play_utc,
  MAX(start_time) AS last_play_utc
FROM
  songplays;
