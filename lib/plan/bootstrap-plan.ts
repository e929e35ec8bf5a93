import { createHash } from 'node:crypto';
import { ROLE_ARN } from '../rules/arns';
import { DATABASE_NAME } from '../rules/redshift-names';
import {
  ANALYST_ROLE,
  ANALYST_USER,
  BOOTSTRAP_MODES,
  LOADER_ROLE,
  LOADER_USER,
  PRODUCT_SCHEMA,
  type BootstrapMode,
} from '../rules/database-identities';
import { FINGERPRINT_HEX_DIGITS } from '../rules/fingerprint';
import { STAGING_TABLES, STAR_TABLES } from '../rules/tables';
import { follows, refusal } from '../rules/text-rule';
import { PlanError, bindTemplate, quoteIdent } from './bind';
import { sqlFile, type PlanStep } from './load-plan';
import type { SqlFiles } from './sql-files';

export interface BootstrapInput {
  /** provisioned and offline create the two database users too; Serverless signs in as IAMR:<role>. */
  readonly mode: BootstrapMode;
  /** The role COPY assumes to read the source bucket: only the loader role may assume it, only for COPY. */
  readonly sourceRoleArn: string;
  /**
   * The warehouse's database (sparkify:databaseName; the custom resource's Database property), whose
   * TEMP privilege the bootstrap takes from PUBLIC. Offline the dialect bridge applies
   * GRANT/REVOKE ... ON DATABASE to the database the twin runs in, whatever its name.
   */
  readonly database: string;
}

export interface BootstrapPlan {
  /** Covers sql/security and the input: a deploy re-runs the bootstrap only when it changes. */
  readonly fingerprint: string;
  /** In order, for the admin (a superuser) to run in one transaction. */
  readonly steps: readonly PlanStep[];
}

/** Every table the plan creates, so every one the loader user must own (lib/plan/load-plan.ts's sql/schema). */
const PRODUCT_TABLES = [...STAGING_TABLES, ...STAR_TABLES, 'load_history', 'schema_changes'];

/** The bootstrap's files, in the order they run; `users` ones only where database users sign in. */
const STEPS: readonly { readonly file: string; readonly users?: true }[] = [
  { file: 'security/create_identities_procedure.sql' },
  { file: 'security/call_create_identities.sql' },
  { file: 'security/drop_create_identities_procedure.sql' },
  { file: 'security/grant_loader_role_to_loader_user.sql', users: true },
  { file: 'security/grant_analyst_role_to_analyst_user.sql', users: true },
  { file: 'security/revoke_create_on_schema_from_public.sql' },
  { file: 'security/grant_schema_create_to_loader.sql' },
  { file: 'security/grant_schema_usage_to_analyst.sql' },
  { file: 'security/revoke_assumerole_from_public.sql' },
  { file: 'security/grant_assumerole_for_copy_to_loader.sql' },
  { file: 'security/revoke_temp_on_database_from_public.sql' },
];

/** The values every sql/security file may use. */
function identityValues(): Record<string, string> {
  return {
    loader_role: LOADER_ROLE,
    analyst_role: ANALYST_ROLE,
    loader_user: LOADER_USER,
    analyst_user: ANALYST_USER,
    schema: PRODUCT_SCHEMA,
    product_tables: PRODUCT_TABLES.map((table) => `'${table}'`).join(', '),
  };
}

/**
 * The admin's one-off work, as plan steps: the loader and analyst roles (and, where they sign in as
 * database users, the two users with their roles and the loader user owning the product's tables),
 * the schema privileges, ASSUMEROLE on the source role for the loader alone, and TEMP on the
 * database taken from PUBLIC (no product identity creates temporary tables). Every step is
 * idempotent: a second run changes nothing. Built in one place for the Lambda and the offline twin.
 */
export function buildBootstrapPlan(files: SqlFiles, input: BootstrapInput): BootstrapPlan {
  if (!BOOTSTRAP_MODES.includes(input.mode)) {
    throw new PlanError(`bootstrap mode = ${JSON.stringify(input.mode)}: use one of ${BOOTSTRAP_MODES.join(', ')}`);
  }
  // Pasted into a string literal of GRANT ASSUMEROLE: no quote may pass.
  if (!follows(ROLE_ARN, input.sourceRoleArn)) throw new PlanError(refusal('source role ARN', input.sourceRoleArn, ROLE_ARN));
  // A name in GRANT/REVOKE ... ON DATABASE: Redshift's database-name rule, and quoted (a name such
  // as user is a reserved word; a lower-case quoted name is the same name).
  if (!follows(DATABASE_NAME, input.database)) throw new PlanError(refusal('database', input.database, DATABASE_NAME));
  const withUsers = input.mode !== 'serverless';
  const values = {
    ...identityValues(),
    source_role_arn: input.sourceRoleArn,
    with_users: withUsers ? 'TRUE' : 'FALSE',
    database: quoteIdent(input.database),
  };
  const steps = STEPS.filter((step) => withUsers || !step.users).map(({ file }): PlanStep => ({
    name: `security.${file.slice('security/'.length, -'.sql'.length)}`,
    kind: 'security',
    file,
    sql: bindTemplate(file, sqlFile(files, file, 'the bootstrap plan'), values),
  }));
  return { fingerprint: bootstrapFingerprint(files, input), steps };
}

/** A digest of sql/security and the input: unchanged files and input give the same fingerprint. */
export function bootstrapFingerprint(files: SqlFiles, input: BootstrapInput): string {
  const hash = createHash('sha256');
  for (const [file, text] of files) if (file.startsWith('security/')) hash.update(`${file}\0${text}\0`);
  hash.update(JSON.stringify({ mode: input.mode, sourceRoleArn: input.sourceRoleArn, database: input.database }));
  return hash.digest('hex').slice(0, FINGERPRINT_HEX_DIGITS);
}
