import {
  ActiveStatementsExceededException,
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type DescribeStatementResponse,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { buildLoadPlan, failureStatement } from '../../lib/plan/load-plan';
import { LoadFailedError, MAX_FAILURE_MESSAGE_BYTES, loadErrorsQuery } from '../../lambda/loader/failure-report';
import { handleIsComplete } from '../../lambda/loader/is-complete';
import { handleOnEvent } from '../../lambda/loader/on-event';
import { MAX_RESPONSE_BYTES, assertFitsResponse, responseBytes } from '../../lambda/loader/response';
import type { ProviderEvent } from '../../lambda/loader/types';
import {
  BATCH_ID,
  ROLE_ARN,
  SETTINGS,
  event,
  fakeAws,
  files,
  historyRow,
  properties,
  throttling,
  type FakeAws,
} from '../../tools/fake-aws';

const LOAD_ID = 'load-20250101T000000Z';
const plan = buildLoadPlan(files, { settings: SETTINGS, roleArn: ROLE_ARN, loadId: LOAD_ID });
const CREATED_AT = new Date('2025-01-01T00:00:00.000Z');

/** The isComplete event after onEvent submitted the batch. */
function polled(
  props = properties(),
  data: Record<string, string> = { StatementId: BATCH_ID, LoadId: LOAD_ID, Fingerprint: plan.fingerprint, Outcome: 'running' },
): ProviderEvent {
  return { ...event('Create', props), PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify', Data: data };
}

/** Sub-statements of the plan's batch: those before `at` finished, `at` has `status`, the rest never ran. */
function batch(status: 'FAILED' | 'ABORTED', at: number, error?: string): DescribeStatementResponse {
  const subs: SubStatementData[] = plan.steps.map((step, i) => ({
    Id: `${BATCH_ID}:${i + 1}`,
    Status: i < at ? 'FINISHED' : i === at ? status : 'ABORTED',
    QueryString: step.sql,
    RedshiftQueryId: 1000 + i,
    ...(i === at && error ? { Error: error } : {}),
  }));
  return { Id: BATCH_ID, Status: status, CreatedAt: CREATED_AT, ...(error ? { Error: error } : {}), SubStatements: subs };
}

const stepIndex = (name: string) => plan.steps.findIndex((step) => step.name === name);

async function failure(aws: FakeAws): Promise<LoadFailedError> {
  const error = await handleIsComplete(polled(), aws.deps).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LoadFailedError);
  return error as LoadFailedError;
}

describe('isComplete', () => {
  it('answers not complete while the batch runs, naming the current step', async () => {
    const aws = fakeAws();
    const at = stepIndex('mart.songplays');
    aws.scriptBatch({
      Status: 'STARTED',
      SubStatements: plan.steps.map((_, i) => ({
        Id: `${BATCH_ID}:${i + 1}`,
        Status: i < at ? 'FINISHED' : i === at ? 'STARTED' : 'SUBMITTED',
      })),
    });
    expect(await handleIsComplete(polled(), aws.deps)).toEqual({ IsComplete: false });
    for (const status of ['SUBMITTED', 'PICKED'] as const) {
      aws.scriptBatch({ Status: status });
      expect(await handleIsComplete(polled(), aws.deps)).toEqual({ IsComplete: false });
    }
    const poll = aws.logs.find((line) => line.message === 'poll');
    expect(poll?.attributes).toMatchObject({
      loadId: LOAD_ID,
      statementId: BATCH_ID,
      status: 'STARTED',
      step: 'mart.songplays',
      position: `${at + 1}/${plan.steps.length}`,
    });
  });

  it('when finished, returns exactly the load report attributes the outputs read', async () => {
    const aws = fakeAws();
    aws.scriptBatch({ Status: 'FINISHED', Duration: 182e9 });
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow(LOAD_ID, 'succeeded')] });
    const response = await handleIsComplete(polled(), aws.deps);
    expect(response.IsComplete).toBe(true);
    expect(Object.keys(response.Data ?? {}).sort()).toEqual(
      [
        'LoadId',
        'Fingerprint',
        'Outcome',
        'Rows_songplays',
        'Rows_users',
        'Rows_songs',
        'Rows_artists',
        'Rows_time',
        'Rows_staging_events',
        'Rows_staging_songs',
      ].sort(),
    );
    expect(response.Data).toMatchObject({
      LoadId: LOAD_ID,
      Fingerprint: plan.fingerprint,
      Outcome: 'succeeded',
      Rows_songplays: '6820',
      Rows_time: '6813',
    });
    expect(aws.logs.find((line) => line.message === 'report')?.attributes).toMatchObject({
      loadId: LOAD_ID,
      statementId: BATCH_ID,
      loadSeconds: 182,
    });
  });

  // A FINISHED batch is a successful deploy only when load_history says so: each other answer fails
  // the deploy with what the row says, and returns no Data (so no outputs claim rows that were not loaded).
  describe('a finished batch whose load_history row does not say succeeded fails the deploy', () => {
    async function finishedWith(rows: Record<string, string | number | null>[]): Promise<{ error: Error; aws: FakeAws }> {
      const aws = fakeAws();
      aws.scriptBatch({ Status: 'FINISHED', Duration: 182e9 });
      aws.onQuery(/FROM\s+load_history/, { rows });
      const outcome = await handleIsComplete(polled(), aws.deps).then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      );
      expect(outcome, 'isComplete must throw, not answer').not.toHaveProperty('response');
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(Error);
      // Nothing was reported as loaded.
      expect(aws.logs.some((line) => line.message === 'report')).toBe(false);
      return { error: error as Error, aws };
    }
    const head = `Load ${LOAD_ID} finished (statement ${BATCH_ID}) but load_history says`;

    it("says 'failed': the deploy fails with the recorded error", async () => {
      const { error } = await finishedWith([{ ...historyRow(LOAD_ID, 'failed'), error: 'gate.keys_not_null_and_unique: 3 failing rows' }]);
      expect(error.message).toBe(
        `${head} 'failed': gate.keys_not_null_and_unique: 3 failing rows. A failed attempt of the same load id was recorded after this batch; the deploy is not a successful load`,
      );
      expect(error.message).not.toContain('\n');
    });

    it("says 'failed' with a long recorded error: the message stays bounded", async () => {
      const { error } = await finishedWith([{ ...historyRow(LOAD_ID, 'failed'), error: `ERROR: ${'x'.repeat(4000)}` }]);
      expect(error.message).toMatch(new RegExp(`^${head.replace(/[.()]/g, '\\$&')} 'failed': ERROR: x+…\\. A failed attempt`));
      expect(Buffer.byteLength(error.message)).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_BYTES);
    });

    it("says 'running': the deploy fails, the batch did not record success", async () => {
      const { error } = await finishedWith([historyRow(LOAD_ID, 'running')]);
      expect(error.message).toBe(
        `${head} 'running': the batch ended without recording success, so it did not run the whole plan (or another attempt of this load id is still running)`,
      );
    });

    it('has no row: the deploy fails, the batch did not run the plan', async () => {
      const { error } = await finishedWith([]);
      expect(error.message).toBe(
        `${head} 'nothing': it has no row for this load id, so the batch did not run the plan (the plan's last step records success)`,
      );
    });

    it('says anything else (or NULL): the deploy fails, naming it', async () => {
      expect((await finishedWith([historyRow(LOAD_ID, 'SUCCEEDED')])).error.message).toBe(
        `${head} 'SUCCEEDED', not 'succeeded': the deploy is not a successful load`,
      );
      expect((await finishedWith([{ ...historyRow(LOAD_ID, 'x'), outcome: null }])).error.message).toBe(
        `${head} 'null', not 'succeeded': the deploy is not a successful load`,
      );
    });

    it('the same batch with a succeeded row is the successful deploy (the control)', async () => {
      const aws = fakeAws();
      aws.scriptBatch({ Status: 'FINISHED' });
      aws.onQuery(/FROM\s+load_history/, { rows: [historyRow(LOAD_ID, 'succeeded')] });
      await expect(handleIsComplete(polled(), aws.deps)).resolves.toMatchObject({ IsComplete: true, Data: { Outcome: 'succeeded' } });
    });
  });

  it('a COPY failure names the step, the database message and the rejected rows, and is recorded', async () => {
    const aws = fakeAws();
    const at = stepIndex('staging.staging_events');
    const dbMessage = "Load into table 'staging_events' failed. Check 'sys_load_error_detail' system table for details.";
    aws.scriptBatch(batch('FAILED', at, dbMessage));
    aws.onQuery(/sys_load_error_detail/, {
      rows: [
        {
          file_name: 's3://udacity-dend/log_data/2018/11/2018-11-12-events.json',
          line_number: 17,
          column_name: 'ts',
          error_message: 'Invalid timestamp format or value [epochmillisecs]',
        },
        {
          file_name: 's3://udacity-dend/log_data/2018/11/2018-11-12-events.json',
          line_number: 42,
          column_name: 'sessionid',
          error_message: "Invalid digit, Value 'x', Pos 0, Type: Integer",
        },
      ],
    });
    const error = await failure(aws);

    expect(error.message).toMatch(
      new RegExp(
        `^Load ${LOAD_ID} failed at step staging\\.staging_events \\(sql/staging/staging_events\\.sql\\): Load into table 'staging_events' failed`,
      ),
    );
    expect(error.message).toContain(
      'Rejected rows: [1] s3://udacity-dend/log_data/2018/11/2018-11-12-events.json line 17, column ts: Invalid timestamp format or value [epochmillisecs]; [2] s3://udacity-dend/log_data/2018/11/2018-11-12-events.json line 42, column sessionid:',
    );
    expect(error.message).toContain(`The warehouse was rolled back and still holds the previous load (statement ${BATCH_ID})`);
    expect(error.message).not.toContain('\n');
    expect(error.stack).toBe(`LoadFailedError: ${error.message}`);

    // The load-error view was asked for this COPY's source since the batch began.
    expect(aws.queries()).toContain(loadErrorsQuery('s3://udacity-dend/log_data', new Date(CREATED_AT.getTime() - 60_000)));
    // The failure is recorded in load_history, exactly as the plan words it.
    expect(aws.queries()).toContain(failureStatement(files, plan, CREATED_AT, `staging.staging_events: ${dbMessage}`));
    const failed = aws.logs.find((line) => line.message === 'failure');
    expect(failed?.attributes).toMatchObject({
      loadId: LOAD_ID,
      statementId: BATCH_ID,
      step: 'staging.staging_events',
      rejectedRows: 2,
      recordedInHistory: true,
    });
  });

  it('a failed quality gate names the gate', async () => {
    const aws = fakeAws();
    const at = stepIndex('gate.keys_not_null_and_unique');
    aws.scriptBatch(batch('FAILED', at, 'ERROR: quality gate gate.keys_not_null_and_unique failed: 3 failing rows'));
    const error = await failure(aws);
    expect(error.message).toMatch(
      new RegExp(
        `^Load ${LOAD_ID} failed at quality gate gate\\.keys_not_null_and_unique \\(sql/gates/manifest\\.json\\): ERROR: quality gate gate\\.keys_not_null_and_unique failed: 3 failing rows`,
      ),
    );
    expect(error.message).toContain(
      'Its query is generated from sql/gates/manifest.json (buildLoadPlan): run it against the warehouse to see the failing rows',
    );
    expect(aws.queries().some((sql) => sql.includes('sys_load_error_detail'))).toBe(false);
  });

  it('an aborted batch names the step it stopped at', async () => {
    const aws = fakeAws();
    const at = stepIndex('mart.songplays');
    aws.scriptBatch(batch('ABORTED', at));
    const error = await failure(aws);
    expect(error.message).toMatch(
      new RegExp(
        `^Load ${LOAD_ID} was aborted at step mart\\.songplays \\(sql/marts/songplays\\.sql\\): the load was aborted \\(cancelled, or the cluster restarted or was resized\\)`,
      ),
    );
    expect(aws.queries().some((sql) => sql.startsWith('-- Runs after the failed load') || sql.includes("'failed'"))).toBe(true);
  });

  it('still fails with the step when recording the failure is impossible (first deploy: no load_history)', async () => {
    const aws = fakeAws();
    aws.scriptBatch(batch('FAILED', 0, 'ERROR: permission denied for schema public'));
    aws.onQuery(/INSERT INTO load_history/, { error: 'ERROR: relation "load_history" does not exist' });
    const error = await failure(aws);
    expect(error.message).toMatch(
      /^Load \S+ failed at step schema\.staging_events \(sql\/schema\/staging_events\.sql\): ERROR: permission denied for schema public/,
    );
    expect(aws.logs.find((line) => line.level === 'warn' && line.message === 'failure')?.attributes.note).toBe(
      'could not record the failure in load_history',
    );
  });

  it('keeps the failure message bounded, important part first, however long the database message', async () => {
    const aws = fakeAws();
    aws.scriptBatch(batch('FAILED', stepIndex('staging.staging_songs'), `ERROR: ${'x'.repeat(5000)}`));
    aws.onQuery(/sys_load_error_detail/, {
      rows: Array.from({ length: 5 }, (_, i) => ({
        file_name: `s3://udacity-dend/song_data/${'A/'.repeat(120)}${i}.json`,
        line_number: 1,
        column_name: 'year',
        error_message: 'e'.repeat(400),
      })),
    });
    const error = await failure(aws);
    expect(Buffer.byteLength(error.message)).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_BYTES);
    expect(error.message).toMatch(
      /^Load \S+ failed at step staging\.staging_songs \(sql\/staging\/staging_songs\.sql\): ERROR: x+…\. Rejected rows: \[1\]/,
    );
  });

  it('retries throttling and quota errors with growing waits, then succeeds', async () => {
    const aws = fakeAws();
    aws.scriptBatch({ Status: 'STARTED' });
    aws.mocks.data
      .on(DescribeStatementCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(new ActiveStatementsExceededException({ message: 'Active statements exceeded the allowed quota (500).', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves({ Id: BATCH_ID, Status: 'STARTED' });
    expect(await handleIsComplete(polled(), aws.deps)).toEqual({ IsComplete: false });
    expect(aws.mocks.data.commandCalls(DescribeStatementCommand)).toHaveLength(4);
    expect(aws.sleeps).toEqual([100, 200, 400]);
    expect(aws.logs.filter((line) => line.message === 'retry').map((line) => line.attributes.attempt)).toEqual([1, 2, 3]);
  });

  it('gives up after a bounded number of tries, and never retries a real error', async () => {
    const aws = fakeAws();
    aws.mocks.data.on(DescribeStatementCommand).rejects(throttling());
    await expect(handleIsComplete(polled(), aws.deps)).rejects.toThrow('Rate exceeded');
    expect(aws.mocks.data.commandCalls(DescribeStatementCommand)).toHaveLength(6);
    expect(aws.sleeps).toEqual([100, 200, 400, 800, 1000]);

    const other = fakeAws();
    other.mocks.data
      .on(DescribeStatementCommand)
      .rejects(
        Object.assign(new Error('Query does not exist.'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(handleIsComplete(polled(), other.deps)).rejects.toThrow('Query does not exist.');
    expect(other.mocks.data.commandCalls(DescribeStatementCommand)).toHaveLength(1);
  });

  it('retries a throttled submit with the same idempotency token', async () => {
    const aws = fakeAws();
    aws.healthyCluster();
    aws.s3Access();
    aws.noHistory();
    aws.mocks.data.on(BatchExecuteStatementCommand).rejectsOnce(throttling()).resolves({ Id: BATCH_ID });
    await handleOnEvent(event('Create'), aws.deps);
    const tokens = aws.mocks.data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input.ClientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
  });
});

describe('submit mode', () => {
  it('submits, then completes at once: the load finishes after the deploy', async () => {
    const aws = fakeAws();
    aws.healthyCluster();
    aws.s3Access();
    aws.noHistory();
    const props = properties({ LoadMode: 'submit' });
    const submitted = await handleOnEvent(event('Create', props), aws.deps);
    expect(submitted.Data).toMatchObject({
      StatementId: BATCH_ID,
      LoadId: LOAD_ID,
      Outcome: 'submitted',
      Rows_songplays: 'pending',
      Rows_staging_songs: 'pending',
    });

    const done = await handleIsComplete(polled(props, submitted.Data as Record<string, string>), aws.deps);
    expect(done).toEqual({ IsComplete: true });
    // The history read and the two catalog reads (sql/catalog/), not the batch.
    expect(aws.mocks.data.commandCalls(DescribeStatementCommand).length).toBe(3);
    expect(aws.logs.find((line) => line.message === 'poll')?.attributes.note).toMatch(/the load finishes after the deploy/);
    expect(aws.mocks.data.commandCalls(ExecuteStatementCommand)).toHaveLength(3);
  });
});

describe('the 4096-byte response limit', () => {
  it('the largest possible Data fits, with the longest ids CloudFormation allows', () => {
    const longId = 'L'.repeat(128);
    const data: Record<string, string> = {
      StatementId: BATCH_ID,
      LoadId: longId,
      Fingerprint: 'f'.repeat(64),
      Outcome: 'succeeded',
    };
    for (const table of ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'])
      data[`Rows_${table}`] = '9223372036854775807';
    const worst: ProviderEvent = {
      ...event('Update'),
      StackId: `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'S'.repeat(128)}/5f3c1e20-0000-11ef-9a3b-0a1b2c3d4e5f`,
      LogicalResourceId: 'W'.repeat(255),
      RequestId: 'r'.repeat(64),
    };
    const physicalId = `sparkify-load/workgroup/${'w'.repeat(64)}/${'d'.repeat(64)}`;
    const bytes = responseBytes(worst, physicalId, data);
    expect(bytes).toBeLessThan(MAX_RESPONSE_BYTES / 2);
    expect(() => assertFitsResponse(worst, physicalId, data)).not.toThrow();
  });

  it('an oversized response fails plainly instead of obscurely', () => {
    const data = { Huge: 'x'.repeat(MAX_RESPONSE_BYTES) };
    expect(() => assertFitsResponse(event('Create'), 'id', data)).toThrow(/would be \d+ bytes, over CloudFormation's 4096: Data has Huge/);
  });

  it('isComplete checks the merged Data (onEvent + report) before answering', async () => {
    const aws = fakeAws();
    aws.scriptBatch({ Status: 'FINISHED' });
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow(LOAD_ID, 'succeeded')] });
    const bloated = polled(properties(), { StatementId: BATCH_ID, Note: 'n'.repeat(4000) });
    await expect(handleIsComplete(bloated, aws.deps)).rejects.toThrow(/over CloudFormation's 4096/);
  });
});
