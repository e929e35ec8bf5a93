-- The shell's \d (cli/shell.ts): the tables and views of the user's schemas that the session's user
-- may read (HAS_TABLE_PRIVILEGE, https://docs.aws.amazon.com/redshift/latest/dg/r_HAS_TABLE_PRIVILEGE.html),
-- with a table's distribution style as PG_CLASS_INFO records it
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_CLASS_INFO.html: 0 EVEN, 1 KEY, 8 ALL).
-- Offline, the twin's own catalog views (PG_TABLE_DEF, SVV_TABLE_INFO, ...) are public views owned
-- by the superuser the twin connects as, where Redshift keeps its system views in pg_catalog: left out.
SELECT
  n.nspname AS schema,
  c.relname AS name,
  CASE
    WHEN c.relkind = 'v' THEN 'view'
    WHEN c.relkind = 'm' THEN 'materialized view'
    ELSE 'table'
  END AS "type",
  CASE
    WHEN c.relkind <> 'r' THEN NULL
    WHEN i.reldiststyle = 0 THEN 'EVEN'
    WHEN i.reldiststyle = 1 THEN 'KEY'
    WHEN i.reldiststyle = 8 THEN 'ALL'
    ELSE 'AUTO'
  END AS diststyle
FROM
  pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  JOIN pg_class_info AS i ON i.reloid = c.oid
  JOIN pg_user AS u ON u.usesysid = c.relowner
WHERE
  c.relkind IN ('r', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT u.usesuper
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY
  n.nspname,
  c.relname;
