-- An incremental load keeps one row per user: the rows this load's winners replaced go.
DELETE FROM user_latest_event
WHERE
  load_id <> '{{ load_id }}'
  AND user_id IN (
    SELECT
      user_id
    FROM
      user_latest_event
    WHERE
      load_id = '{{ load_id }}'
  );
