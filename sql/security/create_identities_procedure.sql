-- Creates what is missing of the product's database identities, and gives the loader user the
-- product's existing tables and assert_gate. Redshift has no CREATE ROLE/USER IF NOT EXISTS, so a
-- stored procedure checks SVV_ROLES and PG_USER first and runs CREATE ROLE
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html, r_SVV_ROLES.html) and
-- CREATE USER ... PASSWORD DISABLE (r_CREATE_USER.html: the user signs in only with temporary IAM
-- credentials) for what it does not find. Users only when with_users: on Serverless the load and
-- the analysts sign in as IAMR:<role>, created by Redshift at first sign-in.
-- The loader must own the product's tables: the load drops and re-creates a table whose DDL
-- changed, and only the owner or a superuser may replace assert_gate (r_CREATE_PROCEDURE.html:
-- "You must be a superuser or the owner to replace a procedure"); ALTER TABLE ... OWNER TO
-- (r_ALTER_TABLE.html) and ALTER PROCEDURE ... OWNER TO (r_ALTER_PROCEDURE.html, superuser only).
-- SECURITY INVOKER (the default): only the admin who calls it can create users.
CREATE OR REPLACE PROCEDURE sparkify_create_identities (with_users BOOLEAN) AS $$
DECLARE
    found INTEGER;
    owned RECORD;
BEGIN
    SELECT COUNT(*) INTO found FROM svv_roles WHERE role_name = '{{ loader_role }}';
    IF found = 0 THEN
        EXECUTE 'CREATE ROLE {{ loader_role }}';
    END IF;
    SELECT COUNT(*) INTO found FROM svv_roles WHERE role_name = '{{ analyst_role }}';
    IF found = 0 THEN
        EXECUTE 'CREATE ROLE {{ analyst_role }}';
    END IF;
    IF with_users THEN
        SELECT COUNT(*) INTO found FROM pg_user WHERE usename = '{{ loader_user }}';
        IF found = 0 THEN
            EXECUTE 'CREATE USER {{ loader_user }} PASSWORD DISABLE';
        END IF;
        SELECT COUNT(*) INTO found FROM pg_user WHERE usename = '{{ analyst_user }}';
        IF found = 0 THEN
            EXECUTE 'CREATE USER {{ analyst_user }} PASSWORD DISABLE';
        END IF;
        FOR owned IN SELECT tablename FROM pg_tables WHERE schemaname = '{{ schema }}' AND tablename IN ({{ product_tables }}) AND tableowner <> '{{ loader_user }}' LOOP
            EXECUTE 'ALTER TABLE ' || owned.tablename || ' OWNER TO {{ loader_user }}';
        END LOOP;
        SELECT COUNT(*) INTO found FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace JOIN pg_user AS u ON u.usesysid = p.proowner WHERE n.nspname = '{{ schema }}' AND p.proname = 'assert_gate' AND u.usename <> '{{ loader_user }}';
        IF found > 0 THEN
            EXECUTE 'ALTER PROCEDURE assert_gate(VARCHAR, VARCHAR) OWNER TO {{ loader_user }}';
        END IF;
    END IF;
END;
$$ LANGUAGE plpgsql;
