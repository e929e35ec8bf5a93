import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { PlanError } from '../../lib/plan/bind';
import { buildLoadPlan, gateAssertion, type LoadMode, type LoadPlan } from '../../lib/plan/load-plan';
import { MAX_BATCH_STATEMENTS, MAX_STATEMENT_BYTES } from '../../lib/rules/limits';
import { clientToken, withRetry } from './data-api';
import { LOAD_STATEMENT_PREFIX } from './history';
import { dataApiTarget, type LoadProperties } from './properties';
import type { LoaderDeps } from './types';

/** The plan as the Data API runs it: a gate becomes a CALL that fails the transaction when its query returns rows. */
export function renderBatch(plan: LoadPlan): string[] {
  return plan.steps.map((step) => (step.kind === 'gate' ? gateAssertion(step) : step.sql));
}

/** Throws when the statements cannot go in one BatchExecuteStatement (one transaction). Tests prove the real plan fits. */
export function assertFitsOneBatch(sqls: readonly string[]): void {
  if (sqls.length < 1 || sqls.length > MAX_BATCH_STATEMENTS) {
    throw new Error(`the load plan has ${sqls.length} statements; one BatchExecuteStatement takes 1 to ${MAX_BATCH_STATEMENTS}`);
  }
  sqls.forEach((sql, i) => {
    const bytes = Buffer.byteLength(sql, 'utf8');
    if (bytes > MAX_STATEMENT_BYTES)
      throw new Error(`statement ${i + 1} of the load plan is ${bytes} bytes; the Data API takes at most ${MAX_STATEMENT_BYTES}`);
  });
}

export function statementName(loadId: string): string {
  return `${LOAD_STATEMENT_PREFIX}${loadId}`;
}

/**
 * Submits the whole plan as one BatchExecuteStatement: one transaction, so a failed step or gate
 * leaves the previous load in place. The client token makes a retried submit of the same
 * CloudFormation request a no-op instead of a second load.
 */
export async function submitLoad(deps: LoaderDeps, props: LoadProperties, plan: LoadPlan, requestId: string): Promise<string> {
  const sqls = renderBatch(plan);
  assertFitsOneBatch(sqls);
  const answer = await withRetry(deps, 'BatchExecuteStatement', () =>
    deps.data.send(
      new BatchExecuteStatementCommand({
        ...dataApiTarget(props),
        Sqls: sqls,
        StatementName: statementName(plan.loadId),
        ClientToken: clientToken('load', requestId, plan.loadId),
        // An EventBridge event when the batch ends: how a 'submit' mode load can be watched after the deploy.
        WithEvent: true,
      }),
    ),
  );
  if (!answer.Id) throw new Error('BatchExecuteStatement returned no statement id');
  return answer.Id;
}

/**
 * The plan for these properties, from the bundled SQL, in a mode (default: a full load that tracks
 * nothing); isComplete rebuilds the same one, mode included, to name a failed step.
 */
export function buildPlan(deps: LoaderDeps, props: LoadProperties, mode?: LoadMode): LoadPlan {
  try {
    const plan = buildLoadPlan(deps.files(), {
      settings: props.settings,
      roleArn: props.roleArn,
      loadId: props.loadId,
      ...(mode ? { mode } : {}),
    });
    if (plan.fingerprint !== props.fingerprint) {
      // The stack computed its fingerprint from the same sql/ at synth; a difference means a stale bundle.
      deps.log.warn('submit', {
        loadId: props.loadId,
        note: 'plan fingerprint differs from the Fingerprint property',
        plan: plan.fingerprint,
        property: props.fingerprint,
      });
    }
    return plan;
  } catch (error) {
    if (error instanceof PlanError) throw new Error(`The load plan cannot be built: ${error.message}`, { cause: error });
    throw error;
  }
}
