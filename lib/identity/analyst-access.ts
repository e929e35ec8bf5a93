import { Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ANALYST_ROLE, ANALYST_USER } from '../rules/database-identities';
import type { IWarehouse } from '../warehouse/warehouse';
import { databaseSignIn } from './database-sign-in';

export interface AnalystAccessProps {
  readonly warehouse: IWarehouse;
  /** Who may assume the analyst role. @default the account (its IAM policies then decide who) */
  readonly assumedBy?: iam.IPrincipal;
}

/**
 * Analysts without passwords: a managed policy allowing only the Data API calls a query needs, on
 * this warehouse's database, signed in as the read-only analyst (lib/rules/database-identities.ts),
 * and a role with it. Attach the policy to existing principals instead of assuming the role; on
 * Serverless they also need the tag RedshiftDbRoles = sparkify_analyst, which the role carries.
 * What the analyst may read is the database's business: a DROP through it fails on permissions.
 */
export class AnalystAccess extends Construct {
  readonly policy: iam.ManagedPolicy;
  readonly role: iam.Role;
  /** The Data API's DbUser for analysts on a cluster; undefined on Serverless (the IAM identity signs in). */
  readonly dbUser: string | undefined;

  constructor(scope: Construct, id: string, props: AnalystAccessProps) {
    super(scope, id);
    const signIn = databaseSignIn(this, props.warehouse, { user: ANALYST_USER, role: ANALYST_ROLE });
    this.dbUser = signIn.dbUser;
    const target = props.warehouse.dataApiTarget;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Sparkify analysts: read-only queries on ${Stack.of(this).stackName} through the Redshift Data API, as ${this.dbUser ?? ANALYST_ROLE}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'QueryThisWarehouse',
          actions: ['redshift-data:ExecuteStatement'],
          resources: [target.arn],
        }),
        // These take no resource ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html):
        // the condition limits them to the caller's own statements. GetStatementResult also allows
        // GetStatementResultV2 (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-iam.html).
        new iam.PolicyStatement({
          sid: 'FollowOwnStatements',
          actions: [
            'redshift-data:DescribeStatement',
            'redshift-data:GetStatementResult',
            'redshift-data:CancelStatement',
            'redshift-data:ListStatements',
          ],
          resources: ['*'],
          conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
        }),
        ...signIn.statements,
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: props.assumedBy ?? new iam.AccountRootPrincipal(),
      description: `Sparkify analysts: read-only queries on ${Stack.of(this).stackName} through the Data API, no password`,
      managedPolicies: [this.policy],
    });
    for (const [key, value] of Object.entries(signIn.tags)) Tags.of(this.role).add(key, value);
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'redshift-data:DescribeStatement, GetStatementResult, CancelStatement and ListStatements support no resource ARN; ' +
        'the condition redshift-data:statement-owner-iam-userid = aws:userid limits them to the caller’s own statements.',
    });
  }
}
