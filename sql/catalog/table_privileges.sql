-- Privileges granted on the product's tables, so a table the load rebuilds gets them back
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RELATION_PRIVILEGES.html).
SELECT
  relation_name AS table_name,
  privilege_type,
  identity_name,
  identity_type
FROM
  svv_relation_privileges
WHERE
  namespace_name = CURRENT_SCHEMA()
  AND relation_name IN ({{ tables }})
ORDER BY
  relation_name,
  identity_type,
  identity_name,
  privilege_type;
