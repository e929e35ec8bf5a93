import { handleIsComplete } from '../../lambda/loader/is-complete';
import { handleOnEvent } from '../../lambda/loader/on-event';
import type { LoaderDeps } from '../../lambda/loader/types';
import { BATCH_ID, event, fakeAws, historyRow, properties } from '../fake-aws';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';

export interface DeployCalls {
  readonly loadSeconds: number;
  readonly backoff: boolean;
  /** isComplete invocations by the Provider framework. */
  readonly polls: number;
  /** DescribeStatement of the load's batch: the polling. */
  readonly batchChecks: number;
  /** Every other Data API call, by operation. */
  readonly otherDataApi: Readonly<Record<string, number>>;
  readonly otherDataApiTotal: number;
  /** Preflight's calls to Redshift and IAM (not the Data API). */
  readonly preflight: Readonly<Record<string, number>>;
}

function byOperation(
  calls: readonly { readonly args: readonly unknown[] }[],
  skip: (input: unknown) => boolean = () => false,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    if (skip(command.input)) continue;
    const name = command.constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/**
 * A default first deploy (Create, 'wait' mode, no load_history yet) driven through the real
 * handlers against mocked clients: onEvent, then isComplete every poll interval until the batch,
 * running for `loadSeconds`, has finished. Counts the calls each makes.
 */
export async function countDeployCalls(loadSeconds: number, backoff: boolean): Promise<DeployCalls> {
  const intervalMs = DEFAULT_CONFIG.pollIntervalSeconds * 1000;
  const aws = fakeAws();
  aws.healthyCluster();
  aws.s3Access();
  // The first read of load_history finds no table (a first deploy); the report after the load finds the row.
  let historyReads = 0;
  const history = /FROM\s+load_history/;
  const firstRead = Object.assign(new RegExp(history.source), { test: (sql: string) => history.test(sql) && historyReads++ === 0 });
  aws.onQuery(firstRead, { error: 'ERROR: relation "load_history" does not exist' });
  const props = properties();
  aws.onQuery(history, { rows: [historyRow(props.LoadId ?? '', 'succeeded')] });

  let now = aws.deps.now();
  const deps: LoaderDeps = { ...aws.deps, now: () => now, ...(backoff ? { pollIntervalMs: intervalMs } : {}) };
  const submitted = await handleOnEvent(event('Create', props), deps);
  const started = now;
  let polls = 0;
  for (;;) {
    polls += 1;
    aws.scriptBatch({ Status: now - started < loadSeconds * 1000 ? 'STARTED' : 'FINISHED' });
    const answer = await handleIsComplete(
      { ...event('Create', props), PhysicalResourceId: submitted.PhysicalResourceId, Data: submitted.Data },
      deps,
    );
    if (answer.IsComplete) break;
    // The framework's next call: one interval later, plus its own invocation time.
    now += intervalMs + 300;
  }
  const isBatch = (input: unknown) => (input as { Id?: string }).Id === BATCH_ID;
  const dataCalls = aws.mocks.data.calls();
  const otherDataApi = byOperation(dataCalls, isBatch);
  const batchChecks = dataCalls.length - Object.values(otherDataApi).reduce((a, b) => a + b, 0);
  return {
    loadSeconds,
    backoff,
    polls,
    batchChecks,
    otherDataApi,
    otherDataApiTotal: Object.values(otherDataApi).reduce((a, b) => a + b, 0),
    preflight: { ...byOperation(aws.mocks.redshift.calls()), ...byOperation(aws.mocks.iam.calls()) },
  };
}
