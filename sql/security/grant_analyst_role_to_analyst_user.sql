-- The analyst user (provisioned cluster, offline) gets the read-only analyst role
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, "Granting role permissions").
GRANT ROLE {{ analyst_role }} TO {{ analyst_user }};
