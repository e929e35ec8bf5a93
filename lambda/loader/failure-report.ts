import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { bindTemplate, sqlString } from '../../lib/plan/bind';
import { clipUtf8, failureStatement, type LoadPlan, type PlanStep } from '../../lib/plan/load-plan';
import type { SqlFiles } from '../../lib/plan/sql-files';
import { clientToken, errorName, runQuery } from './data-api';
import { failingSubStatement, stepOf } from './poll';
import type { LoadProperties } from './properties';
import { loaderSqlFiles } from './sql';
import type { LoaderDeps } from './types';

/** A row COPY rejected, as the load-error view reports it. */
export interface RejectedRow {
  readonly file: string;
  readonly line: number | null;
  readonly column: string;
  readonly reason: string;
}

export const MAX_FAILURE_MESSAGE_BYTES = 1500;

/**
 * An error whose stack is its message alone. The Provider framework sends CloudFormation the
 * error's message, a log link and the trace's lines after the first
 * (aws-cdk-lib/custom-resources/lib/provider-framework/runtime/framework.js and cfn-response.js),
 * in a response that may not exceed 4096 bytes: no frame of the handler's code goes with it. The
 * message is the caller's to keep short (failureLine for CloudFormation's).
 */
export class OneLineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    this.stack = `${name}: ${message}`;
  }
}

/** `text` as CloudFormation's failure reason: one line of at most MAX_FAILURE_MESSAGE_BYTES. */
export function failureLine(text: string): string {
  return clipBytes(oneLine(text), MAX_FAILURE_MESSAGE_BYTES);
}

/** A load that failed: the step, the database's message and what the warehouse still holds (failureMessage). */
export class LoadFailedError extends OneLineError {
  constructor(message: string) {
    super('LoadFailedError', message);
  }
}

const MAX_REJECTED_SHOWN = 3;

/** The query for a failed COPY's rejected records, from sql/diagnostics/. */
export function loadErrorsQuery(sourceUri: string, since: Date, files: SqlFiles = loaderSqlFiles()): string {
  const file = 'diagnostics/rejected_records.sql';
  const template = files.get(file);
  if (template === undefined) throw new Error(`sql/${file} is missing from the loader bundle`);
  return bindTemplate(file, template, {
    since: timestamp(since),
    source_uri: sqlString(sourceUri),
    source_uri_length: String([...sourceUri].length),
    limit: String(MAX_REJECTED_SHOWN + 2),
  });
}

/** The S3 URI a COPY statement reads, or undefined for any other statement. */
export function copySource(sql: string): string | undefined {
  if (!/^\s*COPY\b/i.test(sql.replace(/^\s*--.*$/gm, ''))) return undefined;
  return /\bFROM\s+'((?:[^']|'')*)'/i.exec(sql)?.[1]?.replace(/''/g, "'");
}

function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
}

/**
 * Turns a FAILED or ABORTED batch into the deploy's error: the step (the sub-statement's index in
 * the plan), the database's message and, for a COPY, the first rejected rows. Records the failure
 * in load_history on the way (best effort: on a first deploy the table was rolled back too).
 */
export async function describeFailure(
  deps: LoaderDeps,
  props: LoadProperties,
  plan: LoadPlan,
  statement: DescribeStatementResponse,
): Promise<{ error: LoadFailedError; stepName: string; rejected: readonly RejectedRow[]; recorded: boolean }> {
  const sub = failingSubStatement(statement);
  const { step, index } = stepOf(plan, sub);
  const stepName = step?.name ?? (index !== undefined ? `statement ${index + 1} of the batch` : 'an unknown step');
  const aborted = statement.Status === 'ABORTED' && !sub?.Error && !statement.Error;
  const dbMessage = oneLine(
    sub?.Error ??
      statement.Error ??
      (aborted ? 'the load was aborted (cancelled, or the cluster restarted or was resized)' : 'no message from the database'),
  );
  const startedAt = statement.CreatedAt ?? new Date(deps.now());
  const source = step ? copySource(step.sql) : undefined;

  const [rejected, recorded] = await Promise.all([
    source ? rejectedRows(deps, props, source, new Date(startedAt.getTime() - 60_000)) : Promise.resolve([]),
    recordFailure(deps, props, plan, startedAt, `${stepName}: ${dbMessage}`, statement.Id ?? ''),
  ]);
  const message = failureMessage({ loadId: plan.loadId, statementId: statement.Id ?? '?', step, stepName, dbMessage, rejected, aborted });
  return { error: new LoadFailedError(message), stepName, rejected, recorded };
}

async function rejectedRows(deps: LoaderDeps, props: LoadProperties, source: string, since: Date): Promise<RejectedRow[]> {
  try {
    const rows = await runQuery(deps, props, loadErrorsQuery(source, since));
    return rows.map((row) => ({
      file: String(row.file_name ?? ''),
      line: typeof row.line_number === 'number' ? row.line_number : null,
      column: String(row.column_name ?? ''),
      reason: String(row.error_message ?? ''),
    }));
  } catch (error) {
    deps.log.warn('failure', { loadId: props.loadId, note: 'could not read sys_load_error_detail', error: errorName(error) });
    return [];
  }
}

/** Writes a failed load_history row (best effort: false when it could not). Idempotent per token. */
export async function recordFailure(
  deps: LoaderDeps,
  props: LoadProperties,
  plan: LoadPlan,
  startedAt: Date,
  error: string,
  statementId: string,
): Promise<boolean> {
  try {
    await runQuery(deps, props, failureStatement(deps.files(), plan, startedAt, error), { token: clientToken('failed', statementId) });
    return true;
  } catch (cause) {
    deps.log.warn('failure', { loadId: props.loadId, note: 'could not record the failure in load_history', error: errorName(cause) });
    return false;
  }
}

export function failureMessage(input: {
  loadId: string;
  statementId: string;
  step: PlanStep | undefined;
  stepName: string;
  dbMessage: string;
  rejected: readonly RejectedRow[];
  aborted: boolean;
}): string {
  const { step, stepName } = input;
  const where = step ? `${step.kind === 'gate' ? 'quality gate' : 'step'} ${stepName} (sql/${step.file})` : stepName;
  // The parts are joined with '. ': a message's own final period would double it.
  const head = `Load ${input.loadId} ${input.aborted ? 'was aborted' : 'failed'} at ${where}: ${clip(input.dbMessage, 500).replace(/\.$/, '')}`;
  const rows = input.rejected
    .slice(0, MAX_REJECTED_SHOWN)
    .map((row, i) => `[${i + 1}] ${clip(row.file, 160)} line ${row.line ?? '?'}, column ${row.column || '?'}: ${clip(row.reason, 160)}`);
  const parts = [head];
  if (rows.length > 0)
    parts.push(`Rejected rows: ${rows.join('; ')}${input.rejected.length > MAX_REJECTED_SHOWN ? '; more in sys_load_error_detail' : ''}`);
  else if (step && copySource(step.sql)) parts.push('No rejected rows found: see sys_load_error_detail');
  if (step?.kind === 'gate') {
    // A gate generated from the manifest has no file of its own to run.
    parts.push(
      step.file.endsWith('.sql')
        ? `Run sql/${step.file} against the warehouse to see the failing rows`
        : `Its query is generated from sql/${step.file} (buildLoadPlan): run it against the warehouse to see the failing rows`,
    );
  }
  parts.push(`The warehouse was rolled back and still holds the previous load (statement ${input.statementId})`);
  return clipBytes(parts.join('. '), MAX_FAILURE_MESSAGE_BYTES);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** One line of at most `max` UTF-16 units, marked with '…' when cut. */
export function clip(text: string, max: number): string {
  const line = oneLine(text);
  if (line.length <= max) return line;
  // Never between the two halves of a surrogate pair: a lone half is not UTF-8.
  const end = isHighSurrogate(line.charCodeAt(max - 2)) ? max - 2 : max - 1;
  return `${line.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** At most `max` bytes of UTF-8, cut on a character and marked with '…' (3 bytes) when cut. */
function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  return `${clipUtf8(text, max - 3)}…`;
}
