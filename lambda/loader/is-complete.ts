import { loadReportQuery } from '../../lib/plan/load-plan';
import { describeChanges, withSchemaSync } from '../../lib/plan/schema-sync';
import { SCHEMA_SYNC_KEY, schemaSyncFrom } from './schema-sync';
import { describeStatement, runQuery } from './data-api';
import { describeFailure, LoadFailedError } from './failure-report';
import type { Row } from './data-api';
import { reportData } from './history';
import { batchState, currentSubStatement, stepOf } from './poll';
import { nextCheckInMs, shouldCheck } from './poll-backoff';
import { parseProperties, physicalResourceId } from './properties';
import { assertFitsResponse } from './response';
import { planModeFrom } from './source-tracking';
import { buildPlan } from './submit';
import type { IsCompleteResponse, LoaderDeps, ProviderEvent } from './types';

/**
 * Polled by the Provider framework until it answers IsComplete true or throws. A running batch
 * answers false; a finished one answers its load report; a failed one throws the failure.
 */
export async function handleIsComplete(event: ProviderEvent, deps: LoaderDeps): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const statementId = event.Data?.StatementId;
  // onEvent skipped the load (already loaded): its Data is the answer already.
  if (typeof statementId !== 'string' || statementId === '') return { IsComplete: true };

  const props = parseProperties(event.ResourceProperties);
  if (props.loadMode === 'submit') {
    deps.log.info('poll', {
      loadId: props.loadId,
      statementId,
      mode: 'submit',
      note: 'submit mode: the load finishes after the deploy; its outcome goes to load_history (and an EventBridge event)',
    });
    return { IsComplete: true };
  }

  const began = deps.now();
  const submittedAt = Number(event.Data?.SubmittedAt);
  if (deps.pollIntervalMs !== undefined && Number.isFinite(submittedAt) && !shouldCheck(began - submittedAt, deps.pollIntervalMs)) {
    // Backing off: no Data API call on this poll (see poll-backoff.ts).
    deps.log.info('poll', {
      loadId: props.loadId,
      statementId,
      checked: false,
      elapsedSeconds: Math.round((began - submittedAt) / 1000),
      nextCheckInSeconds: Math.round(nextCheckInMs(began - submittedAt, deps.pollIntervalMs) / 1000),
    });
    return { IsComplete: false };
  }
  const statement = await describeStatement(deps, statementId);
  const state = batchState(statement);
  const plan = withSchemaSync(deps.files(), buildPlan(deps, props, planModeFrom(event.Data)), schemaSyncFrom(event.Data));

  if (state === 'running') {
    const { step, index } = stepOf(plan, currentSubStatement(statement));
    deps.log.info('poll', {
      loadId: props.loadId,
      statementId,
      status: statement.Status,
      step: step?.name,
      position: index === undefined ? undefined : `${index + 1}/${plan.steps.length}`,
      durationMs: deps.now() - began,
    });
    return { IsComplete: false };
  }

  if (state === 'finished') {
    const rows = await runQuery(deps, props, loadReportQuery(deps.files(), props.loadId));
    const row = rows[0];
    if (row?.outcome !== 'succeeded') throw new LoadFailedError(notSucceeded(props.loadId, statementId, row));
    const sync = schemaSyncFrom(event.Data);
    // The framework merges onEvent's Data into the response: the hand-over becomes a readable summary.
    const data = {
      ...reportData(row),
      ...(typeof event.Data?.[SCHEMA_SYNC_KEY] === 'string'
        ? {
            [SCHEMA_SYNC_KEY]:
              sync.rebuilt.length > 0 ? clip(describeChanges(sync.rebuilt).join(' | '), MAX_RECORDED_ERROR_CHARS) : 'no table changed',
          }
        : {}),
    };
    assertFitsResponse(event, physicalResourceId(props), { ...event.Data, ...data });
    deps.log.info('report', {
      loadId: props.loadId,
      statementId,
      loadSeconds: statement.Duration === undefined ? undefined : Math.round(statement.Duration / 1e9),
      rows: Object.fromEntries(Object.entries(data).filter(([key]) => key.startsWith('Rows_'))),
      durationMs: deps.now() - began,
    });
    return { IsComplete: true, Data: data };
  }

  const failure = await describeFailure(deps, props, plan, statement);
  deps.log.error('failure', {
    loadId: props.loadId,
    statementId,
    status: statement.Status,
    step: failure.stepName,
    rejectedRows: failure.rejected.length,
    recordedInHistory: failure.recorded,
    durationMs: deps.now() - began,
    // Not 'message': Powertools reserves that key and drops the attribute (found by the rehearsal).
    reason: failure.error.message,
  });
  throw failure.error;
}

// The recorded error may be up to 4096 bytes; the message must stay well within CloudFormation's response.
const MAX_RECORDED_ERROR_CHARS = 600;

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Why a batch that finished is still not a successful load: only a load_history row that says
 * 'succeeded' is one (the plan's last step writes it, in the load's transaction). Anything else
 * fails the deploy with what the row says.
 */
export function notSucceeded(loadId: string, statementId: string, row: Row | undefined): string {
  const head = `Load ${loadId} finished (statement ${statementId}) but`;
  if (!row) {
    return `${head} load_history says 'nothing': it has no row for this load id, so the batch did not run the plan (the plan's last step records success)`;
  }
  const outcome = row.outcome === null || row.outcome === undefined ? 'null' : String(row.outcome);
  if (outcome === 'failed') {
    const error =
      row.error === null || row.error === undefined || row.error === ''
        ? 'no error recorded'
        : clip(String(row.error), MAX_RECORDED_ERROR_CHARS);
    return `${head} load_history says 'failed': ${error}. A failed attempt of the same load id was recorded after this batch; the deploy is not a successful load`;
  }
  if (outcome === 'running') {
    return `${head} load_history says 'running': the batch ended without recording success, so it did not run the whole plan (or another attempt of this load id is still running)`;
  }
  return `${head} load_history says '${outcome}', not 'succeeded': the deploy is not a successful load`;
}
