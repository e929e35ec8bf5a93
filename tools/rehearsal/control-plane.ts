import { ApiError } from './api-error';
import type { FakeAccount } from './fake-account';
import { simulate } from './policy-simulator';
import { listMember, structureList, type QueryParams, type XmlElements } from './query-protocol';

/**
 * The few control-plane calls the loader's preflight makes, answered from the fake account:
 * Redshift DescribeClusters and IAM SimulatePrincipalPolicy (query protocol, XML), and
 * Redshift Serverless GetWorkgroup / GetNamespace (JSON).
 */

export const REDSHIFT_XMLNS = 'http://redshift.amazonaws.com/doc/2012-12-01/';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export function describeClusters(account: FakeAccount, params: QueryParams): XmlElements {
  const id = params.get('ClusterIdentifier');
  const clusters = id === null ? account.clusters : account.clusters.filter((c) => c.identifier === id);
  if (id !== null && clusters.length === 0) throw new ApiError('ClusterNotFound', `Cluster ${id} not found.`, 404);
  return {
    Clusters: {
      item: 'Cluster',
      values: clusters.map((c) => ({
        ClusterIdentifier: c.identifier,
        NodeType: c.nodeType,
        ClusterStatus: c.status,
        ClusterAvailabilityStatus: c.availability,
        DBName: c.dbName,
        Endpoint: { Address: `${c.identifier}.rehearsal.${account.region}.redshift.amazonaws.com`, Port: c.port },
        NumberOfNodes: c.numberOfNodes,
        Encrypted: true,
        PubliclyAccessible: false,
        IamRoles: { item: 'ClusterIamRole', values: c.iamRoles.map((r) => ({ IamRoleArn: r.arn, ApplyStatus: r.applyStatus })) },
        MasterPasswordSecretArn: c.adminSecretArn,
      })),
    },
  };
}

export function simulatePrincipalPolicy(account: FakeAccount, params: QueryParams): XmlElements {
  const source = params.get('PolicySourceArn') ?? '';
  const role = account.roles.find((r) => r.arn === source);
  if (!role) {
    const name = source.split('/').pop() ?? source;
    throw new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  }
  const context = new Map<string, string[]>();
  for (const entry of structureList(params, 'ContextEntries')) {
    context.set(entry.get('ContextKeyName') ?? '', listMember(entry, 'ContextKeyValues'));
  }
  const actions = listMember(params, 'ActionNames');
  const resources = listMember(params, 'ResourceArns');
  const results = actions.flatMap((action) =>
    (resources.length > 0 ? resources : ['*']).map((resource) => simulate(role, action, resource, context)),
  );
  return {
    IsTruncated: false,
    EvaluationResults: {
      item: 'member',
      values: results.map((r) => ({
        EvalActionName: r.EvalActionName,
        EvalResourceName: r.EvalResourceName,
        EvalDecision: r.EvalDecision,
        MatchedStatements: {
          item: 'member',
          values: (r.MatchedStatements ?? []).map((s) => ({ SourcePolicyId: s.SourcePolicyId, SourcePolicyType: s.SourcePolicyType })),
        },
        MissingContextValues: { item: 'member', values: r.MissingContextValues ?? [] },
      })),
    },
  };
}

/** Serverless lists a namespace's roles as 'IamRole(applyStatus=in-sync, iamRoleArn=arn:...)'. */
export function getWorkgroup(account: FakeAccount, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const name = input.workgroupName;
  const workgroup = account.workgroups.find((w) => w.name === name);
  if (!workgroup) throw new ApiError('ResourceNotFoundException', `Workgroup ${String(name)} not found.`, 404);
  return {
    workgroup: {
      workgroupName: workgroup.name,
      namespaceName: workgroup.namespaceName,
      status: workgroup.status,
      endpoint: { address: `${workgroup.name}.rehearsal.${account.region}.redshift-serverless.amazonaws.com`, port: workgroup.port },
    },
  };
}

export function getNamespace(account: FakeAccount, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const name = input.namespaceName;
  const namespace = account.namespaces.find((n) => n.name === name);
  if (!namespace) throw new ApiError('ResourceNotFoundException', `Namespace ${String(name)} not found.`, 404);
  return {
    namespace: {
      namespaceName: namespace.name,
      status: namespace.status,
      dbName: namespace.dbName,
      iamRoles: namespace.iamRoles.map((r) => `IamRole(applyStatus=${r.applyStatus}, iamRoleArn=${r.arn})`),
      ...(namespace.adminSecretArn ? { adminPasswordSecretArn: namespace.adminSecretArn } : {}),
    },
  };
}
