-- The load creates (and on a schema change re-creates) the product's tables and assert_gate in
-- the schema (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html: ON SCHEMA ... TO ROLE).
GRANT CREATE,
USAGE ON SCHEMA {{ schema }} TO ROLE {{ loader_role }};
