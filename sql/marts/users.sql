-- One row per identified user (non-empty userId, any page): attributes and level from the user's
-- latest event across every load, kept in user_latest_event (sql/tracking/user_latest_insert.sql).
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT
  CAST(user_id AS INTEGER),
  first_name,
  last_name,
  gender,
  level
FROM
  user_latest_event;
