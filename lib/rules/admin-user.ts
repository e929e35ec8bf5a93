import type { TextRule } from './text-rule';

/** The admin user's name: Redshift's rules for a user name, kept to lower case. */
export const ADMIN_USERNAME: TextRule = {
  pattern: /^[a-z][a-z0-9_]{0,127}$/,
  expected: 'a lower-case name starting with a letter, e.g. sparkify_admin',
};

/** Names every scanner tries first (Redshift's and other engines' defaults, and reserved ones): refused. */
export const WELL_KNOWN_ADMIN_USERNAMES: readonly string[] = ['admin', 'awsuser', 'root', 'rdsdb'];

/** The refusal of a well-known name, or undefined for a name of the user's own. */
export function wellKnownAdminUsername(name: string): string | undefined {
  return WELL_KNOWN_ADMIN_USERNAMES.includes(name)
    ? `'${name}' is a well-known default: choose a name of your own, e.g. sparkify_admin`
    : undefined;
}
