import { ExecuteStatementCommand, ListStatementsCommand, type StatementData } from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { PropertyError } from '../../lambda/loader/properties';
import { StaleLoadsError, handleStaleLoads, parseStaleCheckInput, type StaleCheckResult } from '../../lambda/loader/stale-loads';
import { LOADER_USER } from '../../lib/rules/database-identities';
import { fakeAws, type FakeAws } from '../../tools/fake-aws';

/**
 * The stale-load check (lambda/loader/stale-loads.ts), run every 15 minutes by its schedule with a
 * 6-hour timeout: a load batch still running past its timeout is reported (the run fails, and its
 * on-failure destination publishes the message) by exactly one run; a fresh one is not.
 */

const MINUTE = 60_000;
const SUBMITTED = new Date('2026-12-01T01:15:07Z');
/** The schedule's runs, 15 minutes apart; the load's 6 hours end at 07:15:07. */
const RUNS = ['2026-12-01T07:00:00Z', '2026-12-01T07:15:00Z', '2026-12-01T07:30:00Z', '2026-12-01T07:45:00Z'];

/** The schedule's Input as Scheduler delivers it (lib/schedule/stale-load-check.ts). */
function checkEvent(time: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Database: 'sparkify',
    DbUser: LOADER_USER,
    ClusterIdentifier: 'sparkify-warehouse',
    Trigger: 'stale-load-check',
    TimeoutMinutes: '360',
    IntervalMinutes: '15',
    ScheduledTime: time,
    ...overrides,
  };
}

function batch(loadId: string, status: string, createdAt: Date, id = `batch-${loadId}`): StatementData {
  return {
    Id: id,
    StatementName: `sparkify-load:${loadId}`,
    Status: status as StatementData['Status'],
    CreatedAt: createdAt,
    UpdatedAt: createdAt,
    QueryString: '',
  };
}

/** The role's load batches as ListStatements lists them, and load_history's last succeeded load. */
function warehouse(statements: StatementData[]): FakeAws {
  const aws = fakeAws();
  aws.mocks.data.on(ListStatementsCommand).resolves({ Statements: statements });
  aws.onQuery(/outcome = 'succeeded'/, { rows: [{ load_id: 'run-41', fingerprint: 'f'.repeat(16) }] });
  return aws;
}

/** Each run of the schedule: its result, or the message its failure publishes. */
async function runAll(aws: FakeAws, times: readonly string[]): Promise<(StaleCheckResult | StaleLoadsError)[]> {
  const outcomes: (StaleCheckResult | StaleLoadsError)[] = [];
  for (const time of times) {
    try {
      outcomes.push(await handleStaleLoads(checkEvent(time), aws.deps));
    } catch (error) {
      if (!(error instanceof StaleLoadsError)) throw error;
      outcomes.push(error);
    }
  }
  return outcomes;
}

describe('the stale-load check', () => {
  it('reports a load still running past its timeout once, in the first run after its timeout ended', async () => {
    const aws = warehouse([batch('run-42', 'STARTED', SUBMITTED)]);
    const outcomes = await runAll(aws, RUNS);
    const reported = outcomes.filter((outcome): outcome is StaleLoadsError => outcome instanceof StaleLoadsError);
    expect(reported).toHaveLength(1);
    // 07:15:07 is in the window (07:15, 07:30] of the run at 07:30.
    expect(outcomes[2]).toBe(reported[0]);
    expect(reported[0]!.loads).toEqual([{ loadId: 'run-42', statementId: 'batch-run-42', submittedAt: '2026-12-01T01:15:07.000Z' }]);
    expect(reported[0]!.message).toBe(
      'Sparkify stale load check at 2026-12-01T07:30:00.000Z: load run-42 (Data API statement batch-run-42), submitted ' +
        '2026-12-01T01:15:07.000Z, is still running after the background-load timeout of 6 h (sparkify:backgroundLoadTimeoutHours). ' +
        'The warehouse still holds load run-41, the last that succeeded. This is reported once; if the load then fails, the ' +
        'LoadFailures rule reports that too. To stop it: aws redshift-data cancel-statement --id <statement> (it rolls back).',
    );
    // One line, no stack trace: the on-failure destination carries the error to SNS as it is.
    expect(reported[0]!.stack).toBe(`StaleLoadsError: ${reported[0]!.message}`);
    // The other runs saw it running and said nothing.
    expect(outcomes.filter((outcome) => !(outcome instanceof StaleLoadsError))).toEqual(
      [RUNS[0], RUNS[1], RUNS[3]].map((time) => ({ checkedAt: new Date(time!).toISOString(), running: 1, stale: 0 })),
    );
  });

  it('does not report a fresh load, nor one that ended (the rule reports FAILED and ABORTED batches)', async () => {
    const now = new Date(RUNS[2]!).getTime();
    const aws = warehouse([
      batch('fresh', 'SUBMITTED', new Date(now - 10 * MINUTE)),
      batch('fresh-started', 'STARTED', new Date(now - 5 * 60 * MINUTE)),
      batch('failed', 'FAILED', SUBMITTED),
      batch('aborted', 'ABORTED', SUBMITTED),
      batch('finished', 'FINISHED', SUBMITTED),
    ]);
    expect(await runAll(aws, RUNS)).toEqual(RUNS.map((time) => ({ checkedAt: new Date(time).toISOString(), running: 2, stale: 0 })));
  });

  it('runs no SQL when nothing is stale, and lists only load batches of this warehouse', async () => {
    const aws = warehouse([batch('run-42', 'STARTED', SUBMITTED)]);
    await runAll(aws, [RUNS[0]!]);
    expect(aws.mocks.data.commandCalls(ExecuteStatementCommand)).toHaveLength(0);
    expect(aws.mocks.data.commandCalls(ListStatementsCommand)[0]!.args[0].input).toEqual({
      Database: 'sparkify',
      ClusterIdentifier: 'sparkify-warehouse',
      StatementName: 'sparkify-load:',
      Status: 'ALL',
      MaxResults: 100,
    });
  });

  it("reads load_history as the loader, under its own statement name (not a load's), only to report", async () => {
    const aws = warehouse([batch('run-42', 'PICKED', SUBMITTED)]);
    await runAll(aws, RUNS);
    const queries = aws.mocks.data.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      DbUser: LOADER_USER,
      StatementName: 'sparkify-query:stale-load-check',
      Sql: expect.stringMatching(/FROM\s+load_history[\s\S]*outcome = 'succeeded'/),
    });
  });

  it('still reports when load_history has no succeeded load, or cannot be read', async () => {
    const empty = fakeAws();
    empty.mocks.data.on(ListStatementsCommand).resolves({ Statements: [batch('run-1', 'STARTED', SUBMITTED)] });
    empty.onQuery(/load_history/, { rows: [] });
    await expect(handleStaleLoads(checkEvent(RUNS[2]!), empty.deps)).rejects.toThrowError(
      'load_history has no succeeded load: the warehouse holds no complete load yet.',
    );
    const broken = fakeAws();
    broken.mocks.data.on(ListStatementsCommand).resolves({ Statements: [batch('run-1', 'STARTED', SUBMITTED)] });
    broken.onQuery(/load_history/, { error: 'ERROR: permission denied for relation load_history' });
    await expect(handleStaleLoads(checkEvent(RUNS[2]!), broken.deps)).rejects.toThrowError(
      'load_history could not be read (QueryFailedError: ERROR: permission denied for relation load_history).',
    );
  });

  it('reports every load whose timeout ended in the window, in one message', async () => {
    const aws = warehouse([
      batch('run-42', 'STARTED', SUBMITTED),
      batch('scheduled-2026-12-01T01:20:00Z', 'SUBMITTED', new Date(SUBMITTED.getTime() + 10 * MINUTE)),
    ]);
    const [outcome] = await runAll(aws, [RUNS[2]!]);
    expect((outcome as StaleLoadsError).loads.map((load) => load.loadId)).toEqual(['run-42', 'scheduled-2026-12-01T01:20:00Z']);
  });
});

describe("the stale-load check's input", () => {
  it('is parsed into where the loads run, the window and the timeout (Serverless: the workgroup, no DbUser)', () => {
    expect(
      parseStaleCheckInput(checkEvent(RUNS[0]!, { DbUser: undefined, ClusterIdentifier: undefined, WorkgroupName: 'sparkify' })),
    ).toEqual({
      where: { database: 'sparkify', target: { workgroupName: 'sparkify' } },
      time: new Date(RUNS[0]!),
      timeoutMinutes: 360,
      intervalMinutes: 15,
    });
  });

  it('is refused, every problem named, when it is not the schedule’s', () => {
    const parse = () =>
      parseStaleCheckInput(
        checkEvent('<aws.scheduler.scheduled-time>', {
          Trigger: 'schedule',
          TimeoutMinutes: '1440',
          IntervalMinutes: '0',
          ClusterIdentifier: undefined,
        }),
      );
    expect(parse).toThrowError(PropertyError);
    expect(parse).toThrowError(
      'Invalid properties of the stale-load check: Trigger = "schedule": expected "stale-load-check"; ' +
        "ScheduledTime is Scheduler's placeholder <aws.scheduler.scheduled-time>: when invoking by hand, put a time in its place; " +
        'TimeoutMinutes = "1440": expected whole minutes from 60 to 1380; IntervalMinutes = "0": expected whole minutes from 1 to 60; ' +
        'exactly one of ClusterIdentifier or WorkgroupName must be set (found neither)',
    );
  });
});
