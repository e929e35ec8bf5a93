-- The product tables whose design in sql/schema changed, in one statement (the Data API's batch
-- holds 40): dropped in the load's transaction, then created again by their schema files and
-- filled by the load (they are fully reloaded anyway).
DROP TABLE {{ tables }};
