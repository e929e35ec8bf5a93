-- "By default, users are granted permission to create temporary tables by their automatic
-- membership in the PUBLIC group. To remove the privilege for any users to create temporary
-- tables, revoke the TEMP permission from the PUBLIC group"
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_REVOKE.html, TEMPORARY | TEMP;
-- r_GRANT.html: "To run Amazon Redshift Spectrum queries, the database user must have permission
-- to create temporary tables"). Analysts keep no TEMP. Nothing is granted back: the loader needs
-- none, as no file of sql/ creates a temporary table (lib/plan/table-design.ts refuses one in
-- sql/schema) and the load reads no Spectrum table. Should a load step ever create one, grant it
-- to the loader role alone, in a file of its own after this one.
REVOKE TEMP ON DATABASE {{ database }}
FROM
  PUBLIC;
