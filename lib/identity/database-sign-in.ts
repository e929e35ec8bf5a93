import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { DB_ROLES_TAG } from '../rules/database-identities';
import type { IWarehouse } from '../warehouse/warehouse';

/** Who signs in: the database user on a provisioned cluster, the database role on Serverless. */
export interface DatabaseIdentity {
  readonly user: string;
  readonly role: string;
}

/** How an IAM principal signs in to the warehouse through the Data API without a password. */
export interface DatabaseSignIn {
  /** The Data API's DbUser on a cluster; undefined on Serverless, where the IAM identity signs in. */
  readonly dbUser?: string;
  /** What the principal may call to get temporary credentials, on this warehouse and database only. */
  readonly statements: readonly iam.PolicyStatement[];
  /** Tags the principal needs: on Serverless, the database roles Redshift grants it. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A provisioned cluster: the Data API's temporary credentials as a database user, through
 * redshift:GetClusterCredentials on that user and database
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html). Serverless: the
 * caller's IAM identity (database user IAMR:<role>), through redshift-serverless:GetCredentials
 * on the workgroup, with the database roles named in its RedshiftDbRoles tag
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html),
 * allowed only while that tag names exactly the identity's role.
 */
export function databaseSignIn(scope: IConstruct, warehouse: IWarehouse, identity: DatabaseIdentity): DatabaseSignIn {
  const target = warehouse.dataApiTarget;
  if (target.property === 'WorkgroupName') {
    return {
      statements: [
        // Redshift grants the roles the caller's tag names: without the condition, a holder of this
        // policy who may tag itself RedshiftDbRoles=sparkify_loader would sign in as the tables'
        // owner. aws:PrincipalTag is the caller's tag (a session tag over the role's), exactly,
        // and absent fails StringEquals (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
        new iam.PolicyStatement({
          sid: 'SignInWithIamIdentity',
          actions: ['redshift-serverless:GetCredentials'],
          resources: [target.arn],
          conditions: { StringEquals: { [`aws:PrincipalTag/${DB_ROLES_TAG}`]: identity.role } },
        }),
      ],
      tags: { [DB_ROLES_TAG]: identity.role },
    };
  }
  const arn = (resource: string, resourceName: string) =>
    Stack.of(scope).formatArn({ service: 'redshift', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return {
    dbUser: identity.user,
    statements: [
      new iam.PolicyStatement({
        sid: 'SignInAsDatabaseUser',
        actions: ['redshift:GetClusterCredentials'],
        resources: [arn('dbuser', `${target.name}/${identity.user}`), arn('dbname', `${target.name}/${warehouse.databaseName}`)],
      }),
    ],
    tags: {},
  };
}
