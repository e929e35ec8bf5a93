-- By default every user may assume every IAM role attached to the warehouse. "To enable the use of
-- the ASSUMEROLE permission ... run the following statement once on the cluster"
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT-usage-notes.html#r_GRANT-usage-notes-assumerole).
REVOKE ASSUMEROLE ON ALL
FROM
  PUBLIC FOR ALL;
