-- "By default all members of PUBLIC have CREATE and USAGE privileges on the PUBLIC schema"
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_REVOKE-usage-notes.html): only the loader
-- creates tables there, so an analyst cannot create one beside the product's.
REVOKE CREATE ON SCHEMA {{ schema }}
FROM
  PUBLIC;
