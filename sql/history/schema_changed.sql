-- One row per table the load rebuilt, with what changed; in the load's transaction. The plan binds
-- every row into one statement (the Data API's batch holds 40): 'a', 'b', 'c'), ('d', 'e', 'f'.
INSERT INTO schema_changes (load_id, table_name, change)
VALUES
  ({{ rows }});
