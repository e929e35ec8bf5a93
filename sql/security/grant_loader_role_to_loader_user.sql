-- The loader user (provisioned cluster, offline) gets the loader role and with it everything the
-- load may do (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, "Granting role
-- permissions": GRANT ROLE role_name TO user_name).
GRANT ROLE {{ loader_role }} TO {{ loader_user }};
