import type { FakeAccount, FakeRole, NamedPolicy, PolicyStatement } from './fake-account';
import { getAtt, ref, resolve, type StackContext } from './intrinsics';

type Props = Readonly<Record<string, unknown>>;

function resourcesOf(stack: StackContext, type: string): [string, Props][] {
  return Object.entries(stack.template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

function statementsOf(document: unknown): PolicyStatement[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  return (Array.isArray(statements) ? statements : statements ? [statements] : []) as PolicyStatement[];
}

/**
 * The account as the stack leaves it after a healthy deploy: the cluster (or workgroup) available,
 * its roles attached and in sync, each role with the policies the template gives it (inline and
 * AWS::IAM::Policy), and the admin secrets. Everything comes from the template, so a wiring
 * mistake there (a role not attached, a policy on the wrong bucket) shows in the rehearsal.
 */
export function accountFromTemplate(stack: StackContext): FakeAccount {
  const text = (value: unknown) => String(resolve(stack, value));
  const roles = new Map<string, FakeRole>();
  for (const [id, props] of resourcesOf(stack, 'AWS::IAM::Role')) {
    const policies: NamedPolicy[] = ((props.Policies as { PolicyName: unknown; PolicyDocument: unknown }[] | undefined) ?? []).map(
      (policy) => ({
        name: text(policy.PolicyName),
        statements: statementsOf(resolve(stack, policy.PolicyDocument)),
      }),
    );
    const managed = ((props.ManagedPolicyArns as unknown[] | undefined) ?? []).map(text);
    const tags = Object.fromEntries(
      ((props.Tags as { Key: unknown; Value: unknown }[] | undefined) ?? []).map((t) => [text(t.Key), text(t.Value)]),
    );
    roles.set(id, { arn: String(getAtt(stack, id, 'Arn')), name: ref(stack, id), policies, managedPolicyArns: managed, tags });
  }
  for (const [, props] of resourcesOf(stack, 'AWS::IAM::Policy')) {
    const statements = statementsOf(resolve(stack, props.PolicyDocument));
    for (const target of (props.Roles as unknown[] | undefined) ?? []) {
      const name = text(target);
      const role = [...roles.values()].find((r) => r.name === name);
      role?.policies.push({ name: text(props.PolicyName), statements });
    }
  }
  // A customer managed policy of the template grants what it says to each role that lists it
  // (AWS managed ones stay unknown: they grant nothing here).
  for (const [id, props] of resourcesOf(stack, 'AWS::IAM::ManagedPolicy')) {
    const policyArn = ref(stack, id);
    const statements = statementsOf(resolve(stack, props.PolicyDocument));
    for (const role of roles.values()) if (role.managedPolicyArns.includes(policyArn)) role.policies.push({ name: id, statements });
  }

  const attached = (list: unknown) => ((list as unknown[] | undefined) ?? []).map((role) => ({ arn: text(role), applyStatus: 'in-sync' }));
  const clusters = resourcesOf(stack, 'AWS::Redshift::Cluster').map(([id, props]) => ({
    identifier: ref(stack, id),
    status: 'available',
    availability: 'Available',
    dbName: props.DBName === undefined ? 'dev' : text(props.DBName),
    nodeType: text(props.NodeType),
    numberOfNodes: Number(props.NumberOfNodes ?? 1),
    port: Number(props.Port ?? 5439),
    iamRoles: attached(props.IamRoles),
    ...(props.ManageMasterPassword === true ? { adminSecretArn: String(getAtt(stack, id, 'MasterPasswordSecretArn')) } : {}),
  }));
  const namespaces = resourcesOf(stack, 'AWS::RedshiftServerless::Namespace').map(([id, props]) => ({
    name: ref(stack, id),
    arn: String(getAtt(stack, id, 'Namespace.NamespaceArn')),
    status: 'AVAILABLE',
    dbName: props.DbName === undefined ? 'dev' : text(props.DbName),
    iamRoles: attached(props.IamRoles),
    ...(props.ManageAdminPassword === true ? { adminSecretArn: String(getAtt(stack, id, 'Namespace.AdminPasswordSecretArn')) } : {}),
  }));
  const workgroups = resourcesOf(stack, 'AWS::RedshiftServerless::Workgroup').map(([id, props]) => ({
    name: ref(stack, id),
    arn: String(getAtt(stack, id, 'Workgroup.WorkgroupArn')),
    namespaceName: text(props.NamespaceName),
    status: 'AVAILABLE',
    port: Number(props.Port ?? 5439),
  }));
  const secrets = [
    ...clusters.flatMap((c) => (c.adminSecretArn ? [c.adminSecretArn] : [])),
    ...namespaces.flatMap((n) => (n.adminSecretArn ? [n.adminSecretArn] : [])),
    ...resourcesOf(stack, 'AWS::SecretsManager::Secret').map(([id]) => ref(stack, id)),
  ];
  return {
    accountId: stack.accountId,
    region: stack.region,
    partition: stack.partition,
    clusters,
    namespaces,
    workgroups,
    roles: [...roles.values()],
    secrets,
  };
}
