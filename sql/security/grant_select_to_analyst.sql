-- A load step, run by the loader, which owns the tables: analysts read the star schema and the
-- load's records, never staging. Granted on every load, so a table the load creates or rebuilds
-- has it at once (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html: ON TABLE ... TO ROLE).
GRANT
SELECT
  ON {{ tables }} TO ROLE {{ analyst_role }};
