-- A product table whose design in sql/schema changed: dropped in the load's transaction, then
-- created again by its schema file and filled by the load (it is fully reloaded anyway).
DROP TABLE {{ table }};
