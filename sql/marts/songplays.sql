-- One row per NextSong event, matched or not. The id is the MD5 of the event's natural key
-- (user, session, item in session, time), so the same event keeps its id on every reload.
-- Song match: same title and same artist name; among several, the closest duration (an equal
-- one first, as its distance is 0), then the smallest song_id. Unmatched plays keep NULLs. A
-- missing duration ranks last through the CASE (Redshift refuses NULLS LAST inside a window).
-- A candidate is a song file joined to its songs row before the ranking, so the few matched plays
-- carry song_id and artist_id out of it: no join on the ranked (and badly estimated) matches,
-- which a planner with table statistics could turn into a nested loop over every song.
INSERT INTO songplays (
  songplay_id,
  start_time,
  user_id,
  level,
  song_id,
  artist_id,
  session_id,
  location,
  user_agent
)
WITH
  plays AS (
    SELECT
      /* sql-formatter-disable */
      MD5(
        COALESCE(user_id, '') || '|' ||
        COALESCE(CAST(session_id AS VARCHAR), '') || '|' ||
        COALESCE(CAST(item_in_session AS VARCHAR), '') || '|' ||
        COALESCE(TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS.MS'), '')
      ) /* sql-formatter-enable */ AS songplay_id,
      ts,
      user_id,
      level,
      session_id,
      location,
      user_agent,
      song,
      artist,
      length
    FROM
      staging_events
    WHERE
      page = 'NextSong'
  ),
  candidates AS (
    SELECT
      c.title,
      c.artist_name,
      c.duration,
      s.song_id,
      s.artist_id
    FROM
      staging_songs AS c
      JOIN songs AS s ON s.song_id = c.song_id
  ),
  matches AS (
    SELECT
      p.songplay_id,
      c.song_id,
      c.artist_id,
      ROW_NUMBER() OVER (
        PARTITION BY
          p.songplay_id
        ORDER BY
          CASE
            WHEN ABS(c.duration - p.length) IS NULL THEN 1
            ELSE 0
          END,
          ABS(c.duration - p.length),
          c.song_id
      ) AS pick
    FROM
      plays AS p
      JOIN candidates AS c ON c.title = p.song
      AND c.artist_name = p.artist
  )
SELECT
  p.songplay_id,
  p.ts,
  CAST(NULLIF(p.user_id, '') AS INTEGER),
  p.level,
  m.song_id,
  m.artist_id,
  p.session_id,
  p.location,
  p.user_agent
FROM
  plays AS p
  LEFT JOIN matches AS m ON m.songplay_id = p.songplay_id
  AND m.pick = 1;
