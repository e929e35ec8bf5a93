-- A privilege the rebuilt table had before the load, granted again.
GRANT {{ privilege }} ON {{ table }} TO {{ grantee }};
