-- The product's tables as the warehouse has them: one row per column, with its type, keys and
-- the table's distribution style; the load compares them with sql/schema and rebuilds what differs.
-- PG_TABLE_DEF lists the tables on the search_path, where the plan creates them
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_TABLE_DEF.html); PG_CLASS_INFO has the
-- distribution style of empty tables too, which SVV_TABLE_INFO leaves out
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_CLASS_INFO.html).
SELECT
  d.tablename AS table_name,
  d."column" AS column_name,
  a.attnum AS ordinal,
  d.type,
  d."notnull" AS not_null,
  d.distkey,
  d.sortkey,
  CASE
    WHEN i.reldiststyle = 0 THEN 'EVEN'
    WHEN i.reldiststyle = 1 THEN 'KEY'
    WHEN i.reldiststyle = 8 THEN 'ALL'
    ELSE 'AUTO'
  END AS diststyle
FROM
  pg_table_def AS d
  JOIN pg_namespace AS n ON n.nspname = d.schemaname
  JOIN pg_class_info AS i ON i.relname = d.tablename
  AND i.relnamespace = n.oid
  JOIN pg_attribute AS a ON a.attrelid = i.reloid
  AND a.attname = d."column"
WHERE
  d.schemaname = CURRENT_SCHEMA()
  AND d.tablename IN ({{ tables }})
ORDER BY
  d.tablename,
  a.attnum;
