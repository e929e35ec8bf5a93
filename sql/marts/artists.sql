-- One row per artist_id. The source repeats an artist with name variants ("X", "X feat. Y") and
-- differing locations; the rule: take the row of the artist's song with the shortest name
-- (the artist alone), then the most complete one (a location, then coordinates), then the
-- smallest song_id. All attributes come from that one row, so they stay consistent.
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT
  artist_id,
  artist_name,
  NULLIF(artist_location, ''),
  artist_latitude,
  artist_longitude
FROM
  (
    SELECT
      artist_id,
      artist_name,
      artist_location,
      artist_latitude,
      artist_longitude,
      ROW_NUMBER() OVER (
        PARTITION BY
          artist_id
        ORDER BY
          LENGTH(artist_name),
          artist_name,
          CASE
            WHEN NULLIF(artist_location, '') IS NULL THEN 1
            ELSE 0
          END,
          CASE
            WHEN artist_latitude IS NULL
            OR artist_longitude IS NULL THEN 1
            ELSE 0
          END,
          song_id
      ) AS pick
    FROM
      staging_songs
    WHERE
      artist_id IS NOT NULL
  ) AS ranked
WHERE
  pick = 1;
