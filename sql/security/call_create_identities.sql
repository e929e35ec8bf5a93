-- Runs the procedure above (https://docs.aws.amazon.com/redshift/latest/dg/r_CALL_procedure.html):
-- TRUE where the load and the analysts sign in as database users (provisioned, offline).
CALL sparkify_create_identities ({{ with_users }});
