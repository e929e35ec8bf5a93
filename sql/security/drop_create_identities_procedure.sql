-- The procedure has done its work: nothing that creates users stays in the database
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_DROP_PROCEDURE.html).
DROP PROCEDURE sparkify_create_identities (BOOLEAN);
