import type { TextRule } from './text-rule';

/** Redshift's database names: lower case, up to 64 bytes. */
export const DATABASE_NAME: TextRule = {
  pattern: /^[a-z_][a-z0-9_$]{0,63}$/,
  expected: 'a lower-case name of letters, digits and underscores starting with a letter, e.g. sparkify',
};

/**
 * A database user the Data API signs in as (DbUser): Redshift's user names, kept to lower case
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_names.html).
 */
export const DATABASE_USER: TextRule = {
  pattern: /^[a-z_][a-z0-9_$]{0,126}$/,
  expected: 'a lower-case database user name of letters, digits and underscores, e.g. sparkify_loader_user',
};

/** Redshift's cluster identifiers: 1-63 characters, a letter first, no '--', no trailing '-'. */
export const CLUSTER_IDENTIFIER: TextRule = {
  pattern: /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/,
  expected: 'a cluster identifier (1-63 lower-case letters, digits and single hyphens, starting with a letter)',
};

/** Redshift Serverless workgroup names: 3-64 lower-case letters, digits and hyphens. */
export const WORKGROUP_NAME: TextRule = {
  pattern: /^[a-z0-9-]{3,64}$/,
  expected: 'a workgroup name (3-64 lower-case letters, digits and hyphens)',
};

/** The name the stack gives its cluster or workgroup: valid as either, so compute can switch. */
export const WAREHOUSE_NAME: TextRule = {
  pattern: /^[a-z](?!.*--)[a-z0-9-]{2,62}(?<!-)$/,
  expected: '3-63 lower-case letters, digits and single hyphens, starting with a letter',
};
