import { DescribeStatementCommand } from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import { handleIsComplete } from '../../lambda/loader/is-complete';
import { checksDue, maxCheckGapMs, nextCheckInMs, shouldCheck } from '../../lambda/loader/poll-backoff';
import type { LoaderDeps, ProviderEvent } from '../../lambda/loader/types';
import { BATCH_ID, event, fakeAws, historyRow, properties } from '../../tools/fake-aws';

const LOAD_ID = 'load-20250101T000000Z';
const INTERVAL = 15_000;

/** The polls a load of `seconds` gets: the framework calls every interval, a little late each time. */
function pollTimes(seconds: number, intervalMs = INTERVAL, lateMs = 300): number[] {
  const times: number[] = [];
  for (let at = 800; at <= seconds * 1000; at += intervalMs + lateMs) times.push(at);
  return times;
}

describe('the backoff schedule', () => {
  it('checks at once, then after gaps that double up to the cap', () => {
    expect([0, 1, 3, 7, 11, 15].map((n) => checksDue(n * INTERVAL, INTERVAL))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxCheckGapMs(INTERVAL)).toBe(60_000);
    expect(maxCheckGapMs(5_000)).toBe(60_000);
    expect(maxCheckGapMs(60_000)).toBe(240_000);
  });

  it('checks the first polls, then ever fewer: about once a minute on a long load', () => {
    const checked = pollTimes(3600).filter((at) => shouldCheck(at, INTERVAL));
    expect(shouldCheck(800, INTERVAL)).toBe(true);
    expect(shouldCheck(INTERVAL + 1100, INTERVAL)).toBe(true);
    expect(checked.length).toBeLessThan(75); // of 234 polls
    expect(checked.length).toBeGreaterThan(55);
  });

  it('never leaves more than the cap (plus a poll) between two checks', () => {
    for (const interval of [5_000, 15_000, 60_000]) {
      const checked = pollTimes(3600, interval).filter((at) => shouldCheck(at, interval));
      const gaps = checked.slice(1).map((at, i) => at - checked[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(maxCheckGapMs(interval) + interval);
    }
  });

  it('says when the next check is due', () => {
    expect(nextCheckInMs(0, INTERVAL)).toBe(INTERVAL / 2);
    expect(nextCheckInMs(20 * 60_000, INTERVAL)).toBeLessThanOrEqual(60_000);
  });
});

describe('isComplete with backoff', () => {
  function polled(data: Record<string, string>): ProviderEvent {
    return { ...event('Create', properties()), PhysicalResourceId: 'sparkify-load/cluster/sparkify-warehouse/sparkify', Data: data };
  }

  it('skips the Data API between checks and still reports the load once it is done', async () => {
    const aws = fakeAws();
    const submittedAt = aws.deps.now();
    let now = submittedAt;
    const deps: LoaderDeps = { ...aws.deps, now: () => now, pollIntervalMs: INTERVAL };
    const data = { StatementId: BATCH_ID, LoadId: LOAD_ID, Outcome: 'running', SubmittedAt: String(submittedAt) };
    aws.scriptBatch({ Status: 'STARTED' });
    const answers = [];
    // A load of twenty minutes: 78 polls.
    for (const at of pollTimes(20 * 60)) {
      now = submittedAt + at;
      answers.push(await handleIsComplete(polled(data), deps));
    }
    expect(answers.every((answer) => answer.IsComplete === false)).toBe(true);
    const describes = aws.mocks.data.commandCalls(DescribeStatementCommand).length;
    expect(describes).toBeGreaterThan(15);
    expect(describes).toBeLessThan(30);
    const skipped = aws.logs.find((line) => line.message === 'poll' && line.attributes.checked === false);
    expect(skipped?.attributes).toMatchObject({ loadId: LOAD_ID, statementId: BATCH_ID });

    // Done now: the next checks find it within one cap.
    aws.scriptBatch({ Status: 'FINISHED' });
    aws.onQuery(/FROM\s+load_history/, { rows: [historyRow(LOAD_ID, 'succeeded')] });
    const finishedAt = now;
    let answer = { IsComplete: false };
    while (!answer.IsComplete) {
      now += INTERVAL + 300;
      answer = await handleIsComplete(polled(data), deps);
    }
    expect(now - finishedAt).toBeLessThanOrEqual(maxCheckGapMs(INTERVAL) + INTERVAL);
  });

  it('checks on every poll without the submit time (a resource created before the backoff)', async () => {
    const aws = fakeAws();
    const deps: LoaderDeps = { ...aws.deps, pollIntervalMs: INTERVAL };
    aws.scriptBatch({ Status: 'STARTED' });
    for (let i = 0; i < 5; i++) await handleIsComplete(polled({ StatementId: BATCH_ID }), deps);
    expect(aws.mocks.data.commandCalls(DescribeStatementCommand)).toHaveLength(5);
  });
});
