-- Analysts may look up the schema's objects; what they may read is granted table by table
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html: ON SCHEMA ... TO ROLE).
GRANT USAGE ON SCHEMA {{ schema }} TO ROLE {{ analyst_role }};
