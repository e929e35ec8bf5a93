/**
 * Redshift's spatial functions (https://docs.aws.amazon.com/redshift/latest/dg/geospatial-functions.html)
 * on PostGIS, where Redshift answers otherwise than PostGIS does. PostGIS is in public (where the
 * GEOMETRY and GEOGRAPHY types resolve as Redshift's do); these are in sparkify_spatial, and the
 * dialect bridge calls every name of SPATIAL_OVERRIDES there by schema, so an unaliased column
 * keeps the function's name (st_astext) as Redshift names it. Each such name has every signature
 * Redshift documents for it.
 *
 * Created only where PostGIS is installed (local/spatial.ts installs both, once): on any other
 * database this part of the prelude does nothing. CREATE OR REPLACE keeps it idempotent, under a
 * transaction-scoped advisory lock as the other parts are.
 */
export const SPATIAL_FUNCTIONS_SQL = `DO $spatial_functions$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'postgis') THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('sparkify spatial functions'));
  CREATE SCHEMA IF NOT EXISTS sparkify_spatial;
  GRANT USAGE ON SCHEMA sparkify_spatial TO PUBLIC;
END $spatial_functions$;`;

/** The spatial functions sparkify_spatial defines, each with every signature Redshift documents for it. */
export const SPATIAL_OVERRIDES: ReadonlySet<string> = new Set<string>([]);
