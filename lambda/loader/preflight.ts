import { SimulatePrincipalPolicyCommand, type EvaluationResult } from '@aws-sdk/client-iam';
import { DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { GetNamespaceCommand, GetWorkgroupCommand } from '@aws-sdk/client-redshift-serverless';
import { errorName, withRetry } from './data-api';
import type { LoadProperties } from './properties';
import type { LoaderDeps } from './types';

/** What would make the COPY fail obscurely, said plainly: every problem found, each with its fix. */
export class PreflightError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Preflight failed, nothing was loaded: ${problems.map((p, i) => `(${i + 1}) ${p}`).join(' ')}`);
    this.name = 'PreflightError';
  }
}

/** A role as attached to a cluster or namespace: its ARN and how far the attachment got. */
interface AttachedRole {
  readonly arn: string;
  readonly applyStatus: string | undefined;
}

/**
 * Checks the cluster (or workgroup) is available, the role is attached and in sync, and the role
 * may read the source objects. Definite findings fail the deploy; a check that cannot run (e.g.
 * denied to this function) is logged and skipped, since COPY will speak for itself then.
 */
export async function preflight(deps: LoaderDeps, props: LoadProperties): Promise<void> {
  const [target, access] = await Promise.all([checkTarget(deps, props), checkS3Access(deps, props)]);
  const problems = [...target, ...access];
  if (problems.length > 0) throw new PreflightError(problems);
}

async function checkTarget(deps: LoaderDeps, props: LoadProperties): Promise<string[]> {
  try {
    return 'clusterIdentifier' in props.target
      ? await checkCluster(deps, props, props.target.clusterIdentifier)
      : await checkWorkgroup(deps, props, props.target.workgroupName);
  } catch (error) {
    deps.log.warn('preflight', { loadId: props.loadId, note: 'could not check the cluster or workgroup', error: errorName(error) });
    return [];
  }
}

async function checkCluster(deps: LoaderDeps, props: LoadProperties, id: string): Promise<string[]> {
  let cluster;
  try {
    const answer = await withRetry(deps, 'DescribeClusters', () =>
      deps.redshift.send(new DescribeClustersCommand({ ClusterIdentifier: id })),
    );
    cluster = answer.Clusters?.[0];
  } catch (error) {
    if ((error as { name?: string }).name !== 'ClusterNotFoundFault') throw error;
  }
  if (!cluster)
    return [`cluster '${id}' does not exist in this account and region: deploy the stack that creates it, or fix the cluster identifier`];
  const problems: string[] = [];
  const status = cluster.ClusterStatus ?? 'unknown';
  const available = cluster.ClusterAvailabilityStatus ? cluster.ClusterAvailabilityStatus === 'Available' : status === 'available';
  if (!available) {
    problems.push(
      status === 'paused'
        ? `cluster '${id}' is paused: resume it (aws redshift resume-cluster --cluster-identifier ${id}) and deploy again`
        : `cluster '${id}' is not available (status '${status}'${cluster.ClusterAvailabilityStatus ? `, availability '${cluster.ClusterAvailabilityStatus}'` : ''}): wait until it is available and deploy again`,
    );
  }
  const roles = (cluster.IamRoles ?? []).map((role) => ({ arn: role.IamRoleArn ?? '', applyStatus: role.ApplyStatus }));
  const role = roleProblem(
    roles,
    props.roleArn,
    `cluster '${id}'`,
    `aws redshift modify-cluster-iam-roles --cluster-identifier ${id} --add-iam-roles ${props.roleArn}`,
  );
  return role ? [...problems, role] : problems;
}

async function checkWorkgroup(deps: LoaderDeps, props: LoadProperties, name: string): Promise<string[]> {
  let workgroup;
  try {
    workgroup = (await withRetry(deps, 'GetWorkgroup', () => deps.serverless.send(new GetWorkgroupCommand({ workgroupName: name }))))
      .workgroup;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  if (!workgroup)
    return [`workgroup '${name}' does not exist in this account and region: deploy the stack that creates it, or fix the workgroup name`];
  const problems: string[] = [];
  if (workgroup.status !== 'AVAILABLE') {
    problems.push(
      `workgroup '${name}' is not available (status '${workgroup.status ?? 'unknown'}'): wait until it is AVAILABLE and deploy again`,
    );
  }
  const namespaceName = workgroup.namespaceName;
  if (!namespaceName) return problems;
  const namespace = (await withRetry(deps, 'GetNamespace', () => deps.serverless.send(new GetNamespaceCommand({ namespaceName }))))
    .namespace;
  if (namespace?.status && namespace.status !== 'AVAILABLE') {
    problems.push(
      `namespace '${namespaceName}' is not available (status '${namespace.status}'): wait until it is AVAILABLE and deploy again`,
    );
  }
  const roles = (namespace?.iamRoles ?? []).map(parseNamespaceRole);
  const role = roleProblem(
    roles,
    props.roleArn,
    `namespace '${namespaceName}'`,
    `aws redshift-serverless update-namespace --namespace-name ${namespaceName} --iam-roles ...`,
  );
  return role ? [...problems, role] : problems;
}

/**
 * Serverless lists a namespace's roles as strings, either a bare ARN or
 * 'IamRole(applyStatus=in-sync, iamRoleArn=arn:...)' with the two fields in either order.
 */
export function parseNamespaceRole(text: string): AttachedRole {
  const arn = /iamRoleArn=([^,)\s]+)/.exec(text)?.[1] ?? text.trim();
  return { arn, applyStatus: /applyStatus=([^,)\s]+)/.exec(text)?.[1] };
}

function roleProblem(roles: readonly AttachedRole[], roleArn: string, where: string, attach: string): string | undefined {
  const role = roles.find((candidate) => candidate.arn === roleArn);
  if (!role) {
    return `role ${roleArn} is not attached to ${where}, so COPY cannot assume it: attach it (${attach}) or redeploy the stack, which attaches it`;
  }
  if (role.applyStatus && role.applyStatus !== 'in-sync') {
    return `role ${roleArn} is not in sync on ${where} (ApplyStatus '${role.applyStatus}'): wait until it is 'in-sync' (a few minutes) and deploy again`;
  }
  return undefined;
}

/** The S3 reads a COPY makes: every object under each prefix (and the jsonpaths file), and listing the bucket. */
export function s3Checks(props: LoadProperties): { action: string; resource: string; prefix?: string }[] {
  const { sourceBucket: bucket, eventsPrefix, songsPrefix, jsonpathsKey } = props.settings;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return [
    // A '*' in the simulated ARN is matched literally, so a policy must allow every key under the prefix.
    { action: 's3:GetObject', resource: `${bucketArn}/${eventsPrefix}*` },
    { action: 's3:GetObject', resource: `${bucketArn}/${songsPrefix}*` },
    { action: 's3:GetObject', resource: `${bucketArn}/${jsonpathsKey}` },
    { action: 's3:ListBucket', resource: bucketArn, prefix: eventsPrefix },
    { action: 's3:ListBucket', resource: bucketArn, prefix: songsPrefix },
  ];
}

async function checkS3Access(deps: LoaderDeps, props: LoadProperties): Promise<string[]> {
  const results = await Promise.all(
    s3Checks(props).map(async (check) => {
      try {
        const answer = await withRetry(deps, 'SimulatePrincipalPolicy', () =>
          deps.iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: props.roleArn,
              ActionNames: [check.action],
              ResourceArns: [check.resource],
              ...(check.prefix !== undefined
                ? { ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyType: 'string', ContextKeyValues: [check.prefix] }] }
                : {}),
            }),
          ),
        );
        return denial(props, check, answer.EvaluationResults ?? []);
      } catch (error) {
        deps.log.warn('preflight', {
          loadId: props.loadId,
          note: `could not simulate ${check.action} on ${check.resource}`,
          error: errorName(error),
        });
        return undefined;
      }
    }),
  );
  return results.filter((problem): problem is string => problem !== undefined);
}

function denial(
  props: LoadProperties,
  check: { action: string; resource: string; prefix?: string },
  results: readonly EvaluationResult[],
): string | undefined {
  const denied = results.find((result) => result.EvalDecision !== 'allowed');
  if (results.length > 0 && !denied) return undefined;
  const decision = denied?.EvalDecision ?? 'no decision';
  const on = check.prefix !== undefined ? `${check.resource} (prefix '${check.prefix}')` : check.resource;
  if (decision === 'explicitDeny') {
    const policies = [...new Set((denied?.MatchedStatements ?? []).map((s) => s.SourcePolicyId).filter(Boolean))].join(', ');
    return `role ${props.roleArn} is explicitly denied ${check.action} on ${on}${policies ? ` by ${policies}` : ''}: remove that Deny`;
  }
  return `role ${props.roleArn} may not ${check.action} on ${on} (${decision}): grant it in the role's policy (the stack grants read on the source bucket; check sourceBucket and the prefixes)`;
}
