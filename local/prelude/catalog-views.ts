/**
 * Redshift's catalog views over the twin's tables, in Redshift's shapes, so users, tests and the
 * load's schema comparison (sql/catalog/) read the physical design as on a cluster. PostgreSQL
 * has no distribution or sort keys: the dialect bridge records each CREATE TABLE's design in
 * sparkify_twin.table_design (see recordTableDesign), and these views read it back.
 *
 * All of it runs under one transaction-scoped advisory lock: two sessions starting a load on one
 * server at once would otherwise race on CREATE OR REPLACE ("tuple concurrently updated").
 */
export const CATALOG_VIEWS_SQL = `DO $catalog$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify catalog views'));
  CREATE SCHEMA IF NOT EXISTS sparkify_twin;
  CREATE TABLE IF NOT EXISTS sparkify_twin.table_design (
    table_oid oid PRIMARY KEY,
    diststyle text NOT NULL,
    distkey text,
    sortkey text[] NOT NULL,
    interleaved boolean NOT NULL,
    encodings jsonb NOT NULL,
    created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
  );
  GRANT USAGE ON SCHEMA sparkify_twin TO PUBLIC;
  -- Whoever creates a table records its design, as Redshift's catalog records any user's CREATE TABLE.
  GRANT SELECT, INSERT, UPDATE ON sparkify_twin.table_design TO PUBLIC;
  -- The views created WITH NO SCHEMA BINDING (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html),
  -- which PostgreSQL binds like any other: the dialect bridge records each CREATE VIEW here (recordViewBinding),
  -- for PG_GET_LATE_BINDING_VIEW_COLS.
  CREATE TABLE IF NOT EXISTS sparkify_twin.late_binding_view (view_oid oid PRIMARY KEY);
  GRANT SELECT, INSERT, DELETE ON sparkify_twin.late_binding_view TO PUBLIC;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_PG_TABLE_DEF.html: the tables on the search_path.
  -- A column with no ENCODE shows what Redshift assigns when none is given
  -- (https://docs.aws.amazon.com/redshift/latest/dg/c_Compression_encodings.html): RAW ('none') for
  -- sort key columns and BOOLEAN, REAL, DOUBLE PRECISION; AZ64 for SMALLINT, INTEGER, BIGINT,
  -- DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ; LZO for CHAR and VARCHAR.
  CREATE OR REPLACE VIEW public.pg_table_def AS
  SELECT
    n.nspname AS schemaname,
    c.relname AS tablename,
    a.attname AS "column",
    format_type(a.atttypid, a.atttypmod) AS type,
    CAST(COALESCE(
      d.encodings ->> a.attname,
      CASE
        WHEN array_position(d.sortkey, a.attname::text) IS NOT NULL THEN 'none'
        WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype, 'date'::regtype,
                            'timestamp'::regtype, 'timestamptz'::regtype) THEN 'az64'
        WHEN a.atttypid IN ('bpchar'::regtype, 'varchar'::regtype) THEN 'lzo'
        ELSE 'none'
      END) AS character(32)) AS encoding,
    COALESCE(d.distkey = a.attname, false) AS distkey,
    -- An interleaved key's positions alternate in sign; a compound key's are all positive.
    COALESCE(array_position(d.sortkey, a.attname::text)
      * CASE WHEN d.interleaved AND array_position(d.sortkey, a.attname::text) % 2 = 0 THEN -1 ELSE 1 END, 0) AS sortkey,
    a.attnotnull AS "notnull"
  FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN sparkify_twin.table_design AS d ON d.table_oid = c.oid
  WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid)
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'sparkify_twin');

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_PG_CLASS_INFO.html: 0 EVEN, 1 KEY, 8 ALL;
  -- an AUTO table shows 10, AUTO(ALL), as Redshift shows a new one.
  CREATE OR REPLACE VIEW public.pg_class_info AS
  SELECT
    c.oid AS reloid,
    c.relname,
    c.relnamespace,
    c.relowner,
    c.relkind,
    CASE d.diststyle WHEN 'EVEN' THEN 0 WHEN 'KEY' THEN 1 WHEN 'ALL' THEN 8 ELSE 10 END AS reldiststyle,
    CASE d.diststyle WHEN 'EVEN' THEN 0 WHEN 'KEY' THEN 1 WHEN 'ALL' THEN 8 ELSE 10 END AS releffectivediststyle,
    d.created_at AS relcreationtime
  FROM pg_class AS c
    LEFT JOIN sparkify_twin.table_design AS d ON d.table_oid = c.oid
  WHERE c.relkind IN ('r', 'v', 'm');

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html: user tables that hold
  -- at least one row. The twin fills the columns that describe the design and the rows
  -- (diststyle, sortkey1, sortkey_num, max_varchar, tbl_rows, size in 1 MB blocks), not the ones
  -- about slices and blocks (skew, unsorted, stats_off, pct_used). Rows are counted as the reader,
  -- so a table the reader may not read (staging, for the analyst) is left out instead of failing
  -- the query with "permission denied for table staging_events". The page makes the view visible to
  -- superusers and to users granted SELECT on it without saying which rows such a user sees; the
  -- twin grants it to all and shows each the tables it may read, as SVV_REDSHIFT_TABLES lists the
  -- tables a user has access to (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_REDSHIFT_TABLES.html).
  CREATE OR REPLACE FUNCTION sparkify_twin.row_count(tab regclass) RETURNS bigint
    LANGUAGE plpgsql STABLE AS $count$
    DECLARE found bigint;
    BEGIN
      EXECUTE format('SELECT count(*) FROM %s', tab) INTO found;
      RETURN found;
    END $count$;
  CREATE OR REPLACE VIEW public.svv_table_info AS
  SELECT *
  FROM (
    SELECT
      current_database()::text AS database,
      n.nspname::text AS schema,
      c.oid AS table_id,
      c.relname::text AS "table",
      CASE COALESCE(d.diststyle, 'AUTO')
        WHEN 'KEY' THEN 'KEY(' || d.distkey || ')'
        WHEN 'AUTO' THEN 'AUTO(ALL)'
        ELSE d.diststyle
      END AS diststyle,
      COALESCE(d.sortkey[1], 'AUTO(SORTKEY)') AS sortkey1,
      (SELECT max(a.atttypmod - 4) FROM pg_attribute AS a
        WHERE a.attrelid = c.oid AND a.atttypid = 'varchar'::regtype AND a.attnum > 0 AND NOT a.attisdropped)::integer AS max_varchar,
      COALESCE(cardinality(d.sortkey), 0) AS sortkey_num,
      CAST(ceil(pg_total_relation_size(c.oid) / 1048576.0) AS bigint) AS size,
      -- CASE, not the WHERE alone: the planner may test tbl_rows > 0 before the privilege.
      CAST(CASE WHEN r.readable THEN sparkify_twin.row_count(c.oid) END AS numeric(38, 0)) AS tbl_rows
    FROM pg_class AS c
      JOIN pg_namespace AS n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL (
        SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT') AS readable
      ) AS r
      LEFT JOIN sparkify_twin.table_design AS d ON d.table_oid = c.oid
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'sparkify_twin')
      AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' AND r.readable
  ) AS tables
  WHERE tbl_rows > 0;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RELATION_PRIVILEGES.html: privileges
  -- granted explicitly (not the owner's own). A role that can log in is a user, one that cannot a role.
  CREATE OR REPLACE VIEW public.svv_relation_privileges AS
  SELECT
    n.nspname::text AS namespace_name,
    c.relname::text AS relation_name,
    p.privilege_type::text AS privilege_type,
    p.grantee::integer AS identity_id,
    CASE WHEN p.grantee = 0 THEN 'public' ELSE r.rolname::text END AS identity_name,
    CASE WHEN p.grantee = 0 THEN 'public' WHEN r.rolcanlogin THEN 'user' ELSE 'role' END AS identity_type,
    p.is_grantable AS admin_option
  FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL aclexplode(c.relacl) AS p
    LEFT JOIN pg_roles AS r ON r.oid = p.grantee
  WHERE c.relkind IN ('r', 'v', 'm') AND p.grantee <> c.relowner
    AND p.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REFERENCES', 'TRUNCATE');

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ROLES.html: roles, not users. Offline a
  -- role is a PostgreSQL role that cannot log in (CREATE ROLE makes one), PostgreSQL's own left out.
  CREATE OR REPLACE VIEW public.svv_roles AS
  SELECT
    r.oid::integer AS role_id,
    r.rolname::text AS role_name,
    NULL::text AS role_owner,
    NULL::text AS external_id
  FROM pg_roles AS r
  WHERE NOT r.rolcanlogin AND left(r.rolname, 3) <> 'pg_';

  -- Every user reads them, the load as the loader. Redshift's pages make PG_TABLE_DEF, PG_CLASS_INFO,
  -- SVV_RELATION_PRIVILEGES and SVV_ROLES visible to all users, and SVV_TABLE_INFO to superusers
  -- and the users granted SELECT on it: the twin grants that to all, for the tables each may read.
  GRANT SELECT ON public.pg_table_def, public.pg_class_info, public.svv_table_info, public.svv_relation_privileges, public.svv_roles TO PUBLIC;
END
$catalog$;`;

/**
 * What the dialect bridge runs after a CREATE TABLE it translated: the table's Redshift design,
 * keyed by the new table's oid (a recreated table replaces its row).
 */
export function recordTableDesign(
  table: string,
  design: {
    readonly diststyle: string;
    readonly distkey?: string;
    readonly sortkey: readonly string[];
    readonly interleaved: boolean;
    readonly encodings: Readonly<Record<string, string>>;
  },
): string {
  const text = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const sortkey = `ARRAY[${design.sortkey.map(text).join(', ')}]::text[]`;
  return (
    `INSERT INTO sparkify_twin.table_design (table_oid, diststyle, distkey, sortkey, interleaved, encodings) ` +
    `VALUES (${text(table)}::regclass, ${text(design.diststyle)}, ${design.distkey ? text(design.distkey) : 'NULL'}, ${sortkey}, ` +
    `${design.interleaved}, ${text(JSON.stringify(design.encodings))}::jsonb) ` +
    `ON CONFLICT (table_oid) DO UPDATE SET diststyle = EXCLUDED.diststyle, distkey = EXCLUDED.distkey, sortkey = EXCLUDED.sortkey, ` +
    `interleaved = EXCLUDED.interleaved, encodings = EXCLUDED.encodings, created_at = EXCLUDED.created_at`
  );
}

/**
 * What the dialect bridge runs after a CREATE VIEW it translated: whether the view is late-binding
 * (WITH NO SCHEMA BINDING), keyed by its oid. Every CREATE [OR REPLACE] VIEW writes it, so a view
 * replaced by a bound one, or a new view given a dropped one's oid, is not listed.
 */
export function recordViewBinding(view: string, lateBinding: boolean): string {
  const oid = `'${view.replace(/'/g, "''")}'::regclass`;
  return lateBinding
    ? `INSERT INTO sparkify_twin.late_binding_view (view_oid) VALUES (${oid}) ON CONFLICT (view_oid) DO NOTHING`
    : `DELETE FROM sparkify_twin.late_binding_view WHERE view_oid = ${oid}`;
}
