/**
 * The database identities the product owns (SPEC §6): every load runs as the loader, every
 * analyst query as the analyst, and the admin only runs the bootstrap that creates them
 * (lib/plan/bootstrap-plan.ts). Lower-case names, so SQL never needs to quote them.
 */

/** A Redshift ROLE holding what the load needs: CREATE on the schema, the product's tables, COPY with the source role. */
export const LOADER_ROLE = 'sparkify_loader';
/** A Redshift ROLE that reads the star tables, load_history and schema_changes, never staging. */
export const ANALYST_ROLE = 'sparkify_analyst';
/** The database user the load signs in as on a provisioned cluster (Data API DbUser, redshift:GetClusterCredentials); PASSWORD DISABLE. */
export const LOADER_USER = 'sparkify_loader_user';
/** The database user analysts sign in as on a provisioned cluster (same mechanism); PASSWORD DISABLE. */
export const ANALYST_USER = 'sparkify_analyst_user';

/** The schema the plan creates its tables in (unqualified names on the default search_path). */
export const PRODUCT_SCHEMA = 'public';

/** What the analyst role may SELECT: the star schema and the load's records, not the staging tables. */
export const ANALYST_TABLES = ['songplays', 'users', 'songs', 'artists', 'time', 'load_history', 'schema_changes'] as const;

/**
 * Where the warehouse runs decides who signs in: database users on a provisioned cluster and
 * offline; on Serverless, IAM identities (`IAMR:<role>`, created by Redshift at first sign-in)
 * that get the roles named in their `RedshiftDbRoles` principal tag.
 */
export const BOOTSTRAP_MODES = ['provisioned', 'serverless', 'offline'] as const;
export type BootstrapMode = (typeof BOOTSTRAP_MODES)[number];

/**
 * The principal tag Redshift Serverless reads an IAM identity's database roles from
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html);
 * lib/identity/database-sign-in.ts tags the loader's and the analysts' IAM roles with it.
 */
export const DB_ROLES_TAG = 'RedshiftDbRoles';
