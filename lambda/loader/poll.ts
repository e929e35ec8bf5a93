import type { DescribeStatementResponse, SubStatementData } from '@aws-sdk/client-redshift-data';
import type { LoadPlan, PlanStep } from '../../lib/plan/load-plan';

/** Where a batch stands, from DescribeStatement. */
export type BatchState = 'running' | 'finished' | 'failed';

export function batchState(statement: DescribeStatementResponse): BatchState {
  switch (statement.Status) {
    case 'FINISHED':
      return 'finished';
    case 'FAILED':
    case 'ABORTED':
      return 'failed';
    case 'SUBMITTED':
    case 'PICKED':
    case 'STARTED':
      return 'running';
    default:
      throw new Error(`DescribeStatement answered an unknown status '${statement.Status ?? ''}' for statement ${statement.Id ?? '?'}`);
  }
}

/** A sub-statement's position in the batch: its Id ends with ':<n>', n counted from 1. */
export function subStatementIndex(sub: SubStatementData): number | undefined {
  const match = /:(\d+)$/.exec(sub.Id ?? '');
  return match ? Number(match[1]) - 1 : undefined;
}

/** The plan step a sub-statement runs: the batch is the plan (a load's or the bootstrap's), in order, so the index is the step. */
export function stepOf(plan: Pick<LoadPlan, 'steps'>, sub: SubStatementData | undefined): { step?: PlanStep; index?: number } {
  const index = sub ? subStatementIndex(sub) : undefined;
  return index === undefined ? {} : { step: plan.steps[index], index };
}

/** The sub-statement running now (for progress lines), else the first one not finished. */
export function currentSubStatement(statement: DescribeStatementResponse): SubStatementData | undefined {
  const subs = statement.SubStatements ?? [];
  return subs.find((sub) => sub.Status === 'STARTED') ?? subs.find((sub) => sub.Status !== 'FINISHED');
}

/** The sub-statement that failed; for an aborted batch, the one that was stopped. */
export function failingSubStatement(statement: DescribeStatementResponse): SubStatementData | undefined {
  const subs = statement.SubStatements ?? [];
  return (
    subs.find((sub) => sub.Status === 'FAILED') ??
    subs.find((sub) => sub.Status === 'ABORTED') ??
    subs.find((sub) => sub.Status !== 'FINISHED')
  );
}
