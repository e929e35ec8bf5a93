import { BatchExecuteStatementCommand, type DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { PlanError } from '../../lib/plan/bind';
import { buildBootstrapPlan, type BootstrapPlan } from '../../lib/plan/bootstrap-plan';
import { BOOTSTRAP_MODES, type BootstrapMode } from '../../lib/rules/database-identities';
import { ROLE_ARN, SECRET_ARN } from '../../lib/rules/arns';
import { CLUSTER_IDENTIFIER, DATABASE_NAME, WORKGROUP_NAME } from '../../lib/rules/redshift-names';
import { FINGERPRINT } from '../../lib/rules/fingerprint';
import type { TextRule } from '../../lib/rules/text-rule';
import { clientToken, describeStatement, errorName, withRetry } from './data-api';
import { OneLineError, clip, failureLine } from './failure-report';
import { failingSubStatement, stepOf } from './poll';
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

/** A bootstrap that failed, as CloudFormation shows it: one sentence (failureLine), no stack. */
export class BootstrapFailedError extends OneLineError {
  constructor(message: string) {
    super('BootstrapFailedError', failureLine(message));
  }
}

/** What a failed batch left: it is one transaction. */
const UNCHANGED = 'Nothing was changed (one transaction); fix the cause and deploy again';

export async function handleBootstrap(event: ProviderEvent, deps: LoaderDeps): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') {
    deps.log.info('bootstrap', { note: 'nothing to do: the database roles go with the warehouse' });
    return { PhysicalResourceId: typeof event.PhysicalResourceId === 'string' ? event.PhysicalResourceId : 'sparkify-bootstrap' };
  }
  // Where the bootstrap is, for a failure's sentence: a raw SDK, IAM or Data API error would reach
  // CloudFormation with its stack and no length limit.
  let doing = 'reading its properties';
  let left = 'Nothing was run; fix the cause and deploy again';
  try {
    const props = parseBootstrapProperties(event.ResourceProperties);
    doing = 'building its plan';
    const plan = buildBootstrapPlan(deps.files(), { mode: props.mode, sourceRoleArn: props.sourceRoleArn, database: props.database });
    const began = deps.now();
    doing = 'submitting its batch (BatchExecuteStatement)';
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
    doing = `waiting for its batch (DescribeStatement of statement ${Id})`;
    left = `The batch may still be running: see aws redshift-data describe-statement --id ${Id}, then deploy again`;
    const deadline = began + deps.queryTimeoutMs;
    for (;;) {
      const statement = await describeStatement(deps, Id);
      if (statement.Status === 'FINISHED') break;
      if (statement.Status === 'FAILED' || statement.Status === 'ABORTED') throw batchFailure(plan, statement);
      if (deps.now() >= deadline)
        throw new BootstrapFailedError(`The bootstrap did not finish within ${Math.round(deps.queryTimeoutMs / 1000)} s. ${left}.`);
      await deps.sleep(deps.queryPollMs);
    }
    deps.log.info('bootstrap', {
      fingerprint: plan.fingerprint,
      mode: props.mode,
      steps: plan.steps.length,
      durationMs: deps.now() - began,
    });
    return { PhysicalResourceId: physicalId(props), Data: { Fingerprint: plan.fingerprint } };
  } catch (error) {
    const failure = bootstrapFailure(error, doing, left);
    // The whole error, stack and all, stays in the function's log; CloudFormation gets the sentence.
    deps.log.error('bootstrap', {
      failed: doing,
      reason: failure.message,
      ...(error !== failure ? { error: errorName(error), stack: error instanceof Error ? error.stack : undefined } : {}),
    });
    throw failure;
  }
}

/** The sentence CloudFormation shows for a failure while `doing`, and what it `left`. */
function bootstrapFailure(error: unknown, doing: string, left: string): BootstrapFailedError {
  if (error instanceof BootstrapFailedError) return error;
  // Each already names the resource and every bad value: nothing was run.
  if (error instanceof PropertyError) return new BootstrapFailedError(error.message);
  if (error instanceof PlanError) return new BootstrapFailedError(`The bootstrap plan cannot be built: ${error.message}`);
  return new BootstrapFailedError(`The bootstrap failed ${doing}: ${clip(errorName(error), 500).replace(/\.$/, '')}. ${left}.`);
}

/** A FAILED or ABORTED batch: the step (its file, its place in the batch) and the database's message. */
function batchFailure(plan: BootstrapPlan, statement: DescribeStatementResponse): BootstrapFailedError {
  const sub = failingSubStatement(statement);
  const { step, index } = stepOf(plan, sub);
  const where =
    step && index !== undefined
      ? ` at step ${step.name} (sql/${step.file}, statement ${index + 1} of ${plan.steps.length})`
      : index !== undefined
        ? ` at statement ${index + 1} of the batch`
        : '';
  const aborted = statement.Status === 'ABORTED' && !sub?.Error && !statement.Error;
  const dbMessage =
    sub?.Error ??
    statement.Error ??
    (aborted ? 'the batch was aborted (cancelled, or the warehouse restarted or was resized)' : 'no message from the database');
  // The parts are joined with '. ': a message's own final period would double it.
  return new BootstrapFailedError(`The bootstrap failed${where}: ${clip(dbMessage, 500).replace(/\.$/, '')}. ${UNCHANGED}.`);
}
