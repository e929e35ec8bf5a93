import { CancelStatementCommand, ListStatementsCommand } from '@aws-sdk/client-redshift-data';
import { loadReportQuery } from '../../lib/plan/load-plan';
import { LOAD_STATEMENT_PREFIX } from '../../lib/rules/load-id';
import { LOADED_TABLES } from '../../lib/rules/tables';
import { QueryFailedError, errorName, runQuery, withRetry, type Row } from './data-api';
import { dataApiWhere, type LoadProperties } from './properties';
import type { LoaderDeps } from './types';

/** The Data attributes the stack outputs read; nothing else is returned once the load is complete. */
export type ReportData = Record<'LoadId' | 'Fingerprint' | 'Outcome' | `Rows_${(typeof LOADED_TABLES)[number]}`, string>;

/** Statement names of loads start with this, so a rollback can find loads still running (lib/rules/load-id.ts). */
export { LOAD_STATEMENT_PREFIX };

/** The latest load_history row of this load id; undefined when there is none (or no table yet, on a first deploy). */
export async function latestLoad(deps: LoaderDeps, props: LoadProperties): Promise<Row | undefined> {
  try {
    const rows = await runQuery(deps, props, loadReportQuery(deps.files(), props.loadId));
    return rows[0];
  } catch (error) {
    if (error instanceof QueryFailedError && /load_history.*does not exist|does not exist.*load_history/i.test(error.message))
      return undefined;
    throw error;
  }
}

/** A load_history row as the custom resource's Data: the attributes the stack outputs read. */
export function reportData(row: Row): ReportData {
  const text = (value: Row[string] | undefined): string => (value === null || value === undefined ? '' : String(value));
  const data: Record<string, string> = {
    LoadId: text(row.load_id),
    Fingerprint: text(row.fingerprint),
    Outcome: text(row.outcome),
  };
  for (const table of LOADED_TABLES) data[`Rows_${table}`] = text(row[`rows_${table}`]);
  return data as ReportData;
}

/** Data for a load that was submitted and finishes after the deploy: counts are not known yet. */
export function pendingData(props: LoadProperties, fingerprint: string): ReportData {
  const data: Record<string, string> = { LoadId: props.loadId, Fingerprint: fingerprint, Outcome: 'submitted' };
  for (const table of LOADED_TABLES) data[`Rows_${table}`] = 'pending';
  return data as ReportData;
}

/**
 * Best effort, on the rollback path: cancels loads other than `keep` still running under this
 * role (a reload that timed out, or one submitted in 'submit' mode), so no load commits after
 * the stack went back to the previous one. Never throws.
 */
export async function cancelOtherLoads(deps: LoaderDeps, props: LoadProperties, keep: string): Promise<string[]> {
  const cancelled: string[] = [];
  try {
    for (const { name, id } of await runningLoads(deps, props)) {
      if (name === keep) continue;
      await withRetry(deps, 'CancelStatement', () => deps.data.send(new CancelStatementCommand({ Id: id })));
      cancelled.push(`${name} (${id})`);
    }
  } catch (error) {
    deps.log.warn('rollback', { loadId: props.loadId, note: 'could not cancel other running loads', error: errorName(error) });
  }
  return cancelled;
}

/** A load batch the Data API still runs. */
export interface RunningLoad {
  readonly name: string;
  readonly id: string;
  /** When it was submitted (ListStatements' CreatedAt). */
  readonly createdAt?: Date;
}

/**
 * Loads still running that this role can see: ListStatements lists the statements of the caller's
 * IAM role (RoleLevel, by default), by name prefix
 * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ListStatements.html). A load's
 * 'running' row in load_history is written inside its own transaction, so no other session sees
 * it: the Data API is where a running load shows. At most 5 pages of 100.
 */
export async function runningLoads(deps: LoaderDeps, props: Pick<LoadProperties, 'database' | 'target'>): Promise<RunningLoad[]> {
  const running: RunningLoad[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await withRetry(deps, 'ListStatements', () =>
      deps.data.send(
        new ListStatementsCommand({
          ...dataApiWhere(props),
          StatementName: LOAD_STATEMENT_PREFIX,
          Status: 'ALL',
          MaxResults: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const statement of page.Statements ?? []) {
      const active = statement.Status === 'SUBMITTED' || statement.Status === 'PICKED' || statement.Status === 'STARTED';
      const name = statement.StatementName ?? '';
      if (active && statement.Id && name.startsWith(LOAD_STATEMENT_PREFIX))
        running.push({ name, id: statement.Id, ...(statement.CreatedAt ? { createdAt: statement.CreatedAt } : {}) });
    }
    token = page.NextToken;
  } while (token && ++pages < 5);
  return running;
}
