/**
 * Redshift aggregate functions PostgreSQL 15 lacks (https://docs.aws.amazon.com/redshift/latest/dg/c_Aggregate_Functions.html).
 */
export const AGGREGATE_FUNCTIONS_SQL = `DO $aggregate_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_ANY_VALUE.html: any one value of the group
  -- (PostgreSQL 16 has its own; PostgreSQL 15 needs this one).
  CREATE OR REPLACE FUNCTION public.sparkify_any_value(state anyelement, v anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(state, v)$f$;
  CREATE OR REPLACE AGGREGATE public.any_value(anyelement) (SFUNC = public.sparkify_any_value, STYPE = anyelement);
END
$aggregate_functions$;
`;
