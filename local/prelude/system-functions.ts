/**
 * Redshift's system information functions (https://docs.aws.amazon.com/redshift/latest/dg/r_System_information_functions.html)
 * whose answer is the session's or the twin's own state, each as its page defines it. Those only a
 * cluster can answer (IAM roles, the release, the AWS account) are refused by the gate
 * (local/redshift-gate/functions.ts NOT_RUN_OFFLINE). Runs after CATALOG_VIEWS_SQL: the late-binding
 * views are its sparkify_twin.late_binding_view.
 */
export const SYSTEM_FUNCTIONS_SQL = `DO $system_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_ID.html: "If no COPY commands have been
  -- run in the current session, PG_LAST_COPY_ID returns -1." The COPY emulation sets
  -- sparkify.last_copy_count (local/copy/copy-runner.ts). After a COPY the id would name its rows in
  -- STL_QUERY and STL_LOAD_ERRORS, which the twin does not keep: that is refused.
  CREATE OR REPLACE FUNCTION public.pg_last_copy_id() RETURNS integer LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF coalesce(current_setting('sparkify.last_copy_count', true), '') = '' THEN RETURN -1; END IF;
    RAISE EXCEPTION 'PG_LAST_COPY_ID after a COPY is Redshift SQL that the offline twin does not run'
      USING ERRCODE = 'feature_not_supported',
        HINT = 'the twin keeps no query ids (no STL_QUERY or STL_LOAD_ERRORS to look one up in); PG_LAST_COPY_COUNT() gives the rows the COPY loaded';
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_QUERY_ID.html, LAST_USER_QUERY_ID.html: "If no
  -- queries have been run in the current session, PG_LAST_QUERY_ID returns -1", counting only queries
  -- on the compute nodes. twinStatement sets sparkify.query_ran before such a statement, and the COPY
  -- emulation after a COPY. After one the id would name its row of STL_QUERY and SYS_QUERY_HISTORY,
  -- which the twin does not keep: that is refused.
  CREATE OR REPLACE FUNCTION public.sparkify_last_query_id(fn text) RETURNS integer LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF coalesce(current_setting('sparkify.query_ran', true), '') = '' THEN RETURN -1; END IF;
    RAISE EXCEPTION '% after a query of the session is Redshift SQL that the offline twin does not run', fn
      USING ERRCODE = 'feature_not_supported',
        HINT = 'the twin keeps no query ids (no STL_QUERY or SYS_QUERY_HISTORY to look one up in); run it on the cluster';
  END $f$;
  CREATE OR REPLACE FUNCTION public.pg_last_query_id() RETURNS integer LANGUAGE sql STABLE AS $f$SELECT public.sparkify_last_query_id('PG_LAST_QUERY_ID')$f$;
  CREATE OR REPLACE FUNCTION public.last_user_query_id() RETURNS integer LANGUAGE sql STABLE AS $f$SELECT public.sparkify_last_query_id('LAST_USER_QUERY_ID')$f$;

  -- The twin never runs UNLOAD (the dialect bridge refuses it), so no session of it has one:
  -- https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_UNLOAD_COUNT.html "If no UNLOAD commands were
  -- completed in the current session ... returns 0" (BIGINT); PG_LAST_UNLOAD_ID.html "If no UNLOAD
  -- commands have been run in the current session, PG_LAST_UNLOAD_ID returns -1" (an integer).
  CREATE OR REPLACE FUNCTION public.pg_last_unload_count() RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$SELECT CAST(0 AS bigint)$f$;
  CREATE OR REPLACE FUNCTION public.pg_last_unload_id() RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT -1$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_USER_ID.html: the integer id of the user
  -- signed in to the session: offline, the user the twin acts as (SET ROLE, local/warehouse.ts actAs),
  -- by its catalog id, as SVV_RELATION_PRIVILEGES shows it (identity_id). The dialect bridge turns
  -- the bare word CURRENT_USER_ID into this call.
  CREATE OR REPLACE FUNCTION public.current_user_id() RETURNS integer LANGUAGE sql STABLE AS $f$
    SELECT CAST(oid AS integer) FROM pg_catalog.pg_roles WHERE rolname = current_user$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_NAMESPACE.html: the namespace's GUID. An
  -- offline warehouse is a namespace of its own: a UUID made the first time its catalog is set up,
  -- kept for its life. The dialect bridge turns the bare word CURRENT_NAMESPACE into this call.
  CREATE TABLE IF NOT EXISTS sparkify_twin.namespace (
    id uuid NOT NULL,
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row)
  );
  INSERT INTO sparkify_twin.namespace (id) SELECT gen_random_uuid() WHERE NOT EXISTS (SELECT FROM sparkify_twin.namespace);
  GRANT SELECT ON sparkify_twin.namespace TO PUBLIC;
  CREATE OR REPLACE FUNCTION public.current_namespace() RETURNS varchar LANGUAGE sql STABLE AS $f$
    SELECT CAST(id AS varchar) FROM sparkify_twin.namespace$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_SLICE_NUM.html: "a query without a FROM statement
  -- runs on the leader node" and returns the code 10000. The gate refuses SLICE_NUM in a statement
  -- that reads a table: the twin keeps no slices.
  CREATE OR REPLACE FUNCTION public.slice_num() RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT 10000$f$;

  -- Roles and users exist, so membership is the catalog's: the roles granted to a user or role, and
  -- the roles granted to those (nested roles). Not PostgreSQL's pg_has_role, which counts a
  -- superuser a member of every role and a role a member of itself. A name that exists nowhere is
  -- an error, as on Redshift, and so is asking beyond one's access; offline only a superuser has
  -- Redshift's sys:superuser, sys:secadmin or ACCESS SYSTEM TABLE.
  CREATE OR REPLACE FUNCTION public.sparkify_member_of(member_name text, role_name text) RETURNS boolean LANGUAGE sql STABLE AS $f$
    WITH RECURSIVE granted (roleid) AS (
      SELECT m.roleid FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS r ON r.oid = m.member WHERE r.rolname = member_name
      UNION
      SELECT m.roleid FROM pg_catalog.pg_auth_members AS m JOIN granted AS g ON m.member = g.roleid)
    SELECT EXISTS (SELECT FROM granted AS g JOIN pg_catalog.pg_roles AS r ON r.oid = g.roleid WHERE r.rolname = role_name)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_known_identity(fn text, what text, identity text) RETURNS void LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = identity) THEN
      RAISE EXCEPTION '%: % "%" does not exist', fn, what, identity USING ERRCODE = 'undefined_object';
    END IF;
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_superuser() RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_ROLE_IS_MEMBER_OF.html: true if the role is a member
  -- of the granted role; "regular users can only check roles to which they have access": offline,
  -- roles granted to them.
  CREATE OR REPLACE FUNCTION public.role_is_member_of(role_name text, granted_role_name text) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT AS $f$
  BEGIN
    PERFORM public.sparkify_known_identity('ROLE_IS_MEMBER_OF', 'role', role_name);
    PERFORM public.sparkify_known_identity('ROLE_IS_MEMBER_OF', 'role', granted_role_name);
    IF NOT public.sparkify_superuser()
      AND NOT (public.sparkify_member_of(current_user, role_name) AND public.sparkify_member_of(current_user, granted_role_name)) THEN
      RAISE EXCEPTION 'ROLE_IS_MEMBER_OF: permission denied: a regular user can only check roles granted to it'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN public.sparkify_member_of(role_name, granted_role_name);
  END $f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_USER_IS_MEMBER_OF.html: true if the user is a member
  -- of the role or group (a group is a role offline); "regular users can only check themselves".
  CREATE OR REPLACE FUNCTION public.user_is_member_of(user_name text, role_name text) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT AS $f$
  BEGIN
    PERFORM public.sparkify_known_identity('USER_IS_MEMBER_OF', 'user', user_name);
    PERFORM public.sparkify_known_identity('USER_IS_MEMBER_OF', 'role or group', role_name);
    IF user_name <> current_user AND NOT public.sparkify_superuser() THEN
      RAISE EXCEPTION 'USER_IS_MEMBER_OF: permission denied: a regular user can only check itself'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN public.sparkify_member_of(user_name, role_name);
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/PG_GET_COLS.html: one row per column of a table or
  -- view, (schema, relation, column, data type, column number), read in FROM with the page's column
  -- list cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int); the
  -- types as Redshift's catalog spells them (integer, numeric(8,2), character varying(200) ...).
  CREATE OR REPLACE FUNCTION public.pg_get_cols(relation text) RETURNS SETOF record LANGUAGE sql STABLE STRICT AS $f$
    SELECT n.nspname, c.relname, a.attname, CAST(format_type(a.atttypid, a.atttypmod) AS varchar), CAST(a.attnum AS integer)
    FROM pg_catalog.pg_class AS c
      JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.oid = CAST(relation AS regclass)
    ORDER BY a.attnum$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/PG_GET_LATE_BINDING_VIEW_COLS.html: the same rows for
  -- every late-binding view of the database (r_CREATE_VIEW.html, WITH NO SCHEMA BINDING), in the
  -- order they were made.
  CREATE OR REPLACE FUNCTION public.pg_get_late_binding_view_cols() RETURNS SETOF record LANGUAGE sql STABLE AS $f$
    SELECT n.nspname, c.relname, a.attname, CAST(format_type(a.atttypid, a.atttypmod) AS varchar), CAST(a.attnum AS integer)
    FROM sparkify_twin.late_binding_view AS l
      JOIN pg_catalog.pg_class AS c ON c.oid = l.view_oid AND c.relkind = 'v'
      JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.oid, a.attnum$f$;
END
$system_functions$;
`;
