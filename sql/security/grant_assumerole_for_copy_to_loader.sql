-- Only the loader role may COPY with the source-read role, and only COPY
-- (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, "Granting ASSUMEROLE permissions":
-- TO { username | ROLE role_name | GROUP group_name | PUBLIC } FOR { ALL | COPY | UNLOAD | ... }).
GRANT ASSUMEROLE ON '{{ source_role_arn }}' TO ROLE {{ loader_role }} FOR
COPY;
