-- One row per song_id. year 0 means unknown in the source: NULL here.
-- A song_id seen in several files keeps the row first in (title, artist_id, duration) order.
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT
  song_id,
  title,
  artist_id,
  NULLIF(year, 0),
  duration
FROM
  (
    SELECT
      song_id,
      title,
      artist_id,
      year,
      duration,
      ROW_NUMBER() OVER (
        PARTITION BY
          song_id
        ORDER BY
          title,
          artist_id,
          duration,
          year
      ) AS pick
    FROM
      staging_songs
    WHERE
      song_id IS NOT NULL
  ) AS ranked
WHERE
  pick = 1;
