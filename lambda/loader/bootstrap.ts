import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { PlanError } from '../../lib/plan/bind';
import { buildBootstrapPlan } from '../../lib/plan/bootstrap-plan';
import { BOOTSTRAP_MODES, type BootstrapMode } from '../../lib/rules/database-identities';
import { ROLE_ARN, SECRET_ARN } from '../../lib/rules/arns';
import { CLUSTER_IDENTIFIER, DATABASE_NAME, WORKGROUP_NAME } from '../../lib/rules/redshift-names';
import { FINGERPRINT } from '../../lib/rules/fingerprint';
import type { TextRule } from '../../lib/rules/text-rule';
import { clientToken, describeStatement, withRetry } from './data-api';
import { PropertyError, dataApiTarget, propertyReader, type WarehouseTarget } from './properties';
import type { LoaderDeps, OnEventResponse, ProviderEvent } from './types';

/**
 * The bootstrap custom resource (issue 13): as the admin (the only code that reads the admin
 * secret), creates the product's database roles and users and their privileges
 * (lib/plan/bootstrap-plan.ts, sql/security/), in one transaction, on Create and whenever its
 * fingerprint changes. Every step is idempotent. Delete touches nothing: the roles go with the
 * warehouse. It waits for its batch itself: a bootstrap takes seconds.
 */
export interface BootstrapProperties extends WarehouseTarget {
  readonly secretArn: string;
  readonly mode: BootstrapMode;
  readonly sourceRoleArn: string;
  readonly fingerprint: string;
}

const RULES = {
  Fingerprint: FINGERPRINT,
  Database: DATABASE_NAME,
  SecretArn: SECRET_ARN,
  SourceRoleArn: ROLE_ARN,
  ClusterIdentifier: CLUSTER_IDENTIFIER,
  WorkgroupName: WORKGROUP_NAME,
  Mode: { pattern: new RegExp(`^(${BOOTSTRAP_MODES.join('|')})$`), expected: BOOTSTRAP_MODES.join(', ') },
} as const satisfies Record<string, TextRule>;

export function parseBootstrapProperties(raw: Readonly<Record<string, unknown>> | undefined): BootstrapProperties {
  const props = raw ?? {};
  const problems: string[] = [];
  const read = propertyReader(props, RULES, problems);
  const fingerprint = read('Fingerprint');
  const database = read('Database');
  const secretArn = read('SecretArn');
  const sourceRoleArn = read('SourceRoleArn');
  const mode = read('Mode') as BootstrapMode;
  const clusterIdentifier = read('ClusterIdentifier', false);
  const workgroupName = read('WorkgroupName', false);
  if (!clusterIdentifier === !workgroupName) problems.push('exactly one of ClusterIdentifier or WorkgroupName must be set');
  if (problems.length > 0) throw new PropertyError(problems, 'the bootstrap custom resource');
  return {
    fingerprint,
    database,
    secretArn,
    sourceRoleArn,
    mode,
    target: clusterIdentifier ? { clusterIdentifier } : { workgroupName },
  };
}

function physicalId(props: BootstrapProperties): string {
  const where =
    'clusterIdentifier' in props.target ? `cluster/${props.target.clusterIdentifier}` : `workgroup/${props.target.workgroupName}`;
  return `sparkify-bootstrap/${where}/${props.database}`;
}

export async function handleBootstrap(event: ProviderEvent, deps: LoaderDeps): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') {
    deps.log.info('bootstrap', { note: 'nothing to do: the database roles go with the warehouse' });
    return { PhysicalResourceId: typeof event.PhysicalResourceId === 'string' ? event.PhysicalResourceId : 'sparkify-bootstrap' };
  }
  const props = parseBootstrapProperties(event.ResourceProperties);
  let plan;
  try {
    plan = buildBootstrapPlan(deps.files(), { mode: props.mode, sourceRoleArn: props.sourceRoleArn });
  } catch (error) {
    if (error instanceof PlanError) throw new Error(`The bootstrap plan cannot be built: ${error.message}`, { cause: error });
    throw error;
  }
  const began = deps.now();
  const { Id } = await withRetry(deps, 'BatchExecuteStatement', () =>
    deps.data.send(
      new BatchExecuteStatementCommand({
        ...dataApiTarget(props),
        Sqls: plan.steps.map((step) => step.sql),
        StatementName: `sparkify-bootstrap:${plan.fingerprint}`,
        ClientToken: clientToken('bootstrap', event.RequestId ?? plan.fingerprint, plan.fingerprint),
      }),
    ),
  );
  if (!Id) throw new Error('BatchExecuteStatement returned no statement id');
  const deadline = began + deps.queryTimeoutMs;
  for (;;) {
    const statement = await describeStatement(deps, Id);
    if (statement.Status === 'FINISHED') break;
    if (statement.Status === 'FAILED' || statement.Status === 'ABORTED') {
      const index = (statement.SubStatements ?? []).findIndex((sub) => sub.Status === 'FAILED');
      const step = plan.steps[index];
      throw new Error(
        `The bootstrap failed${step ? ` at step ${step.name} (sql/${step.file})` : ''}: ${statement.Error ?? statement.Status}. ` +
          'Nothing was changed (one transaction); fix the cause and deploy again.',
      );
    }
    if (deps.now() >= deadline)
      throw new Error(`The bootstrap did not finish within ${Math.round(deps.queryTimeoutMs / 1000)} s (statement ${Id})`);
    await deps.sleep(deps.queryPollMs);
  }
  deps.log.info('bootstrap', { fingerprint: plan.fingerprint, mode: props.mode, steps: plan.steps.length, durationMs: deps.now() - began });
  return { PhysicalResourceId: physicalId(props), Data: { Fingerprint: plan.fingerprint } };
}
