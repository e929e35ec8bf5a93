/**
 * The database identities the product owns (issue 13): the bootstrap (sql/security/) creates them
 * as the admin; the load and analysts sign in as them, never as the admin.
 */

/** The Redshift role holding everything the load needs, and nothing more. */
export const LOADER_ROLE = 'sparkify_loader';

/** The read-only Redshift role of analysts: the star tables and the load history, not staging. */
export const ANALYST_ROLE = 'sparkify_analyst';

/** The database user the load signs in as on a provisioned cluster (Data API DbUser, temporary credentials). */
export const LOADER_USER = 'sparkify_loader_user';

/** The database user analysts sign in as on a provisioned cluster (Data API DbUser, temporary credentials). */
export const ANALYST_USER = 'sparkify_analyst_user';

/**
 * The principal tag Redshift Serverless reads the database roles of an IAM identity from
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html).
 */
export const DB_ROLES_TAG = 'RedshiftDbRoles';
