import { ApiError } from './api-error';
import type { FakeAccount } from './fake-account';
import { simulate } from './policy-simulator';

/** Who signed a request: a function's execution role, as its temporary credentials say. */
export interface CallerIdentity {
  readonly roleArn: string;
  /** The role's unique id ('AROA...'); with the session, the caller's userid ('AROA...:session'). */
  readonly roleId: string;
  /** The role session: Lambda names it after the function. */
  readonly session: string;
}

/** One permission a call needs: the IAM action, on which resource, with which condition keys. */
interface Permission {
  readonly action: string;
  readonly resource: string;
  readonly context?: ReadonlyMap<string, readonly string[]>;
}

export function userId(identity: CallerIdentity): string {
  return `${identity.roleId}:${identity.session}`;
}

export function clusterArn(account: FakeAccount, id: string): string {
  return `arn:${account.partition}:redshift:${account.region}:${account.accountId}:cluster:${id}`;
}

/** The access key id in a SigV4 Authorization header ('... Credential=<key>/<date>/<region>/<service>/aws4_request, ...'). */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/**
 * Decides each permission as IAM would for the caller's role (its identity policies from the
 * template: see policy-simulator.ts for what that leaves out); the first denial is the service's
 * AccessDenied, worded as AWS words it.
 */
export function authorize(account: FakeAccount, identity: CallerIdentity, permissions: readonly Permission[], errorType: string): void {
  const role = account.roles.find((r) => r.arn === identity.roleArn);
  for (const permission of permissions) {
    // The request's own keys, and the caller's: ${aws:userid} in a policy is the caller's user id,
    // aws:PrincipalTag/<key> its role's tags (a Lambda's session carries no tags of its own).
    const context = new Map([
      ...(permission.context ?? new Map<string, readonly string[]>()),
      ['aws:userid', [userId(identity)]],
      ...Object.entries(role?.tags ?? {}).map(([key, value]): [string, string[]] => [`aws:PrincipalTag/${key}`, [value]]),
    ]);
    const decision = role ? simulate(role, permission.action, permission.resource, context).EvalDecision : 'implicitDeny';
    if (decision === 'allowed') continue;
    const roleName = identity.roleArn.split('/').pop() ?? identity.roleArn;
    const why =
      decision === 'explicitDeny'
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${permission.action} action`;
    throw new ApiError(
      errorType,
      `User: arn:${account.partition}:sts::${account.accountId}:assumed-role/${roleName}/${identity.session} is not authorized to perform: ${permission.action} on resource: ${permission.resource} ${why}`,
      errorType === 'AccessDeniedException' ? 400 : 403,
    );
  }
}

/** What each served call needs, from its input: the actions and resources of the services' authorization references. */
export function permissionsFor(
  account: FakeAccount,
  operation: string,
  input: { get(name: string): unknown },
  owner: (id: string) => string | undefined,
  caller: CallerIdentity,
): Permission[] {
  const text = (name: string) => (typeof input.get(name) === 'string' ? String(input.get(name)) : undefined);
  const workgroupArn = (name: string | undefined) =>
    account.workgroups.find((w) => w.name === name)?.arn ??
    `arn:${account.partition}:redshift-serverless:${account.region}:${account.accountId}:workgroup/${name ?? ''}`;
  switch (operation) {
    case 'ExecuteStatement':
    case 'BatchExecuteStatement':
    case 'ListDatabases':
    case 'ListSchemas':
    case 'ListTables':
    case 'DescribeTable': {
      const cluster = text('ClusterIdentifier');
      const resource = cluster !== undefined ? clusterArn(account, cluster) : workgroupArn(text('WorkgroupName'));
      const secret = text('SecretArn');
      const dbUser = text('DbUser');
      const dbName = `arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbname:${cluster ?? ''}/${text('Database') ?? ''}`;
      // How the Data API signs in for the caller (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html):
      // it reads the secret, or asks for temporary credentials, as the caller.
      const credentials: Permission[] = secret
        ? [{ action: 'secretsmanager:GetSecretValue', resource: secret }]
        : cluster === undefined
          ? [{ action: 'redshift-serverless:GetCredentials', resource }]
          : dbUser !== undefined
            ? [
                {
                  action: 'redshift:GetClusterCredentials',
                  resource: `arn:${account.partition}:redshift:${account.region}:${account.accountId}:dbuser:${cluster}/${dbUser}`,
                },
                { action: 'redshift:GetClusterCredentials', resource: dbName },
              ]
            : [{ action: 'redshift:GetClusterCredentialsWithIAM', resource: dbName }];
      return [{ action: `redshift-data:${operation}`, resource }, ...credentials];
    }
    case 'DescribeStatement':
    case 'GetStatementResult':
    case 'GetStatementResultV2':
    case 'CancelStatement': {
      const id = (text('Id') ?? '').split(':')[0] ?? '';
      const ownerId = owner(id) ?? userId(caller);
      return [
        {
          // "The IAM action redshift-data:GetStatementResult allows access to both GetStatementResult and
          // GetStatementResultV2" (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-iam.html).
          action: `redshift-data:${operation.replace(/V2$/, '')}`,
          resource: '*',
          context: new Map([['redshift-data:statement-owner-iam-userid', [ownerId]]]),
        },
      ];
    }
    case 'ListStatements':
    case 'ListSessions':
      return [
        {
          action: `redshift-data:${operation}`,
          resource: '*',
          context: new Map([['redshift-data:statement-owner-iam-userid', [userId(caller)]]]),
        },
      ];
    case 'DescribeClusters': {
      const cluster = text('ClusterIdentifier');
      return [{ action: 'redshift:DescribeClusters', resource: cluster !== undefined ? clusterArn(account, cluster) : '*' }];
    }
    case 'GetWorkgroup':
      return [{ action: 'redshift-serverless:GetWorkgroup', resource: workgroupArn(text('workgroupName')) }];
    case 'GetNamespace': {
      const name = text('namespaceName');
      const arn =
        account.namespaces.find((n) => n.name === name)?.arn ??
        `arn:${account.partition}:redshift-serverless:${account.region}:${account.accountId}:namespace/${name ?? ''}`;
      return [{ action: 'redshift-serverless:GetNamespace', resource: arn }];
    }
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html: ListObjectsV2 is
    // s3:ListBucket on the bucket, with the request's prefix as s3:prefix; PutObject is s3:PutObject on the object.
    case 'ListObjectsV2':
      return [
        {
          action: 's3:ListBucket',
          resource: `arn:${account.partition}:s3:::${text('Bucket') ?? ''}`,
          context: new Map(text('prefix') !== undefined ? [['s3:prefix', [text('prefix') ?? '']]] : []),
        },
      ];
    case 'PutObject':
      return [{ action: 's3:PutObject', resource: `arn:${account.partition}:s3:::${text('Bucket') ?? ''}/${text('Key') ?? ''}` }];
    case 'SimulatePrincipalPolicy':
      return [{ action: 'iam:SimulatePrincipalPolicy', resource: text('PolicySourceArn') ?? '*' }];
    default:
      return [];
  }
}
