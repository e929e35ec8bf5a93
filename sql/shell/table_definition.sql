-- The shell's \d TABLE (cli/shell.ts): the table's columns as PG_TABLE_DEF shows them, in its
-- documented example's columns (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_TABLE_DEF.html:
-- the tables on the search path), with the table's distribution style from PG_CLASS_INFO
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_CLASS_INFO.html: 0 EVEN, 1 KEY, 8 ALL).
-- $1 is the table's name, $2 its schema or NULL for the first on the search path that has it.
SELECT
  d.schemaname,
  d."column",
  d.type,
  RTRIM(d.encoding) AS encoding,
  d.distkey,
  d.sortkey,
  d."notnull",
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
  d.tablename = $1
  AND (
    $2::text IS NULL
    OR d.schemaname = $2
  )
ORDER BY
  a.attnum;
