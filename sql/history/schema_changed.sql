-- One row per table the load rebuilt, with what changed; in the load's transaction.
INSERT INTO schema_changes (load_id, table_name, change)
VALUES
  {{ rows }};
