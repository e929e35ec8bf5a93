-- One row per table a load rebuilt because its design in sql/schema changed, and how it changed.
CREATE TABLE IF NOT EXISTS schema_changes (
  load_id VARCHAR(128) NOT NULL,
  table_name VARCHAR(128) NOT NULL,
  change VARCHAR(4096) NOT NULL
) DISTSTYLE ALL;
