-- A privilege the rebuilt tables had before the load, granted again to one grantee.
GRANT {{ privilege }} ON {{ tables }} TO {{ grantee }};
