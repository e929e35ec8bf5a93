/**
 * Redshift functions PostgreSQL lacks, created in public (on every default search_path) so the
 * translated SQL can call them by their Redshift names. Each one follows the Redshift page cited
 * beside it; CREATE OR REPLACE keeps the prelude idempotent.
 */
export const REDSHIFT_FUNCTIONS_SQL = `-- Redshift GETDATE(): timestamp without time zone, whole seconds.
CREATE OR REPLACE FUNCTION public.getdate() RETURNS timestamp without time zone
  LANGUAGE sql VOLATILE AS $$SELECT date_trunc('second', clock_timestamp())::timestamp$$;
-- Rows loaded by the session's last COPY: the COPY emulation sets sparkify.last_copy_count.
CREATE OR REPLACE FUNCTION public.pg_last_copy_count() RETURNS bigint
  LANGUAGE sql STABLE AS $$SELECT coalesce(nullif(current_setting('sparkify.last_copy_count', true), '')::bigint, 0)$$;
CREATE OR REPLACE FUNCTION public.len(text) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$SELECT length($1)$$;
`;
