-- One row per identified user (non-empty userId, any page); attributes and level from the
-- user's latest event (ties: later session, later item in session).
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT CAST(user_id AS INTEGER), first_name, last_name, gender, level
FROM (
    SELECT user_id, first_name, last_name, gender, level,
           ROW_NUMBER() OVER (
               PARTITION BY user_id
               ORDER BY ts DESC, session_id DESC, item_in_session DESC, level DESC
           ) AS latest
    FROM staging_events
    WHERE user_id <> ''
) AS ranked
WHERE latest = 1;
