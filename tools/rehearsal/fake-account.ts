/**
 * The AWS account the rehearsal pretends to be: what the stack created, in the state a healthy
 * deploy leaves it. Fields are mutable so a test can pause a cluster or detach a role.
 */

export interface AttachedRole {
  arn: string;
  /** 'in-sync', 'adding', 'removing'. */
  applyStatus: string;
}

interface FakeCluster {
  identifier: string;
  /** 'available', 'paused', 'modifying', ... */
  status: string;
  availability: string;
  dbName: string;
  nodeType: string;
  numberOfNodes: number;
  port: number;
  iamRoles: AttachedRole[];
  adminSecretArn?: string;
}

interface FakeNamespace {
  name: string;
  arn?: string;
  status: string;
  dbName: string;
  iamRoles: AttachedRole[];
  adminSecretArn?: string;
}

interface FakeWorkgroup {
  name: string;
  arn?: string;
  namespaceName: string;
  status: string;
  port: number;
}

/** One IAM policy statement, as written in the template (strings or lists). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface NamedPolicy {
  /** What SimulatePrincipalPolicy names it by (the inline policy's name). */
  readonly name: string;
  readonly statements: readonly PolicyStatement[];
}

export interface FakeRole {
  readonly arn: string;
  readonly name: string;
  policies: NamedPolicy[];
  /** AWS managed policies attached: their content is not known here, so they grant nothing. */
  managedPolicyArns: string[];
  /** The role's tags (RedshiftDbRoles names the database roles Redshift Serverless grants it). */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface FakeAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  clusters: FakeCluster[];
  namespaces: FakeNamespace[];
  workgroups: FakeWorkgroup[];
  roles: FakeRole[];
  /** Secret ARNs that exist (the warehouse's admin secret). */
  secrets: string[];
}
