import { sqlFile } from '../../lib/plan/load-plan';
import { BACKGROUND_LOAD_TIMEOUT_HOURS, STALE_CHECK_INTERVAL_MINUTES } from '../../lib/rules/limits';
import { LOAD_STATEMENT_PREFIX } from '../../lib/rules/load-id';
import { SCHEDULED_TIME_PLACEHOLDER, STALE_CHECK_TRIGGER } from '../../lib/rules/scheduler';
import { errorName, runQuery } from './data-api';
import { OneLineError } from './failure-report';
import { runningLoads, type RunningLoad } from './history';
import { PropertyError, propertyReader, readWarehouse, type LoaderWhere } from './properties';
import type { LoaderDeps } from './types';

/** The check's own statement (the last load that succeeded) is named after it, never as a load. */
const CHECK_NAME = STALE_CHECK_TRIGGER;

const STALE_TIMEOUT_MINUTES = { min: BACKGROUND_LOAD_TIMEOUT_HOURS.min * 60, max: BACKGROUND_LOAD_TIMEOUT_HOURS.max * 60 };

const RULES = {
  Trigger: { pattern: new RegExp(`^${STALE_CHECK_TRIGGER}$`), expected: `"${STALE_CHECK_TRIGGER}"` },
  ScheduledTime: { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, expected: 'a UTC time such as 2026-12-01T01:15:00Z' },
  TimeoutMinutes: { pattern: /^\d{1,4}$/, expected: `whole minutes from ${STALE_TIMEOUT_MINUTES.min} to ${STALE_TIMEOUT_MINUTES.max}` },
  IntervalMinutes: {
    pattern: /^\d{1,2}$/,
    expected: `whole minutes from ${STALE_CHECK_INTERVAL_MINUTES.min} to ${STALE_CHECK_INTERVAL_MINUTES.max}`,
  },
} as const;

/** The check's input, parsed. */
export interface StaleCheckInput {
  readonly where: LoaderWhere;
  /** The invocation's scheduled time: the end of the window this run reports. */
  readonly time: Date;
  readonly timeoutMinutes: number;
  readonly intervalMinutes: number;
}

/** A background load past its timeout. */
export interface StaleLoad {
  readonly loadId: string;
  readonly statementId: string;
  readonly submittedAt: string;
}

/** A run that reported nothing: what Lambda logs as its result. */
export interface StaleCheckResult {
  readonly checkedAt: string;
  /** Load batches of this role the Data API still runs. */
  readonly running: number;
  readonly stale: 0;
}

/**
 * Loads past their timeout. Thrown on purpose: the function's on-failure destination publishes the
 * message to the load-failure topic (as a scheduled run that fails is published); one line, no stack.
 */
export class StaleLoadsError extends OneLineError {
  constructor(
    message: string,
    readonly loads: readonly StaleLoad[],
  ) {
    super('StaleLoadsError', message);
  }
}

/** Parses the schedule's Input; a PropertyError names every bad key at once. */
export function parseStaleCheckInput(event: Readonly<Record<string, unknown>>): StaleCheckInput {
  const problems: string[] = [];
  const read = propertyReader(event, RULES, problems);
  read('Trigger');
  const placeholder = event.ScheduledTime === SCHEDULED_TIME_PLACEHOLDER;
  if (placeholder)
    problems.push(`ScheduledTime is Scheduler's placeholder ${SCHEDULED_TIME_PLACEHOLDER}: when invoking by hand, put a time in its place`);
  const time = placeholder ? '' : read('ScheduledTime');
  const minutes = (name: 'TimeoutMinutes' | 'IntervalMinutes', range: { min: number; max: number }) => {
    const text = read(name);
    const value = Number(text);
    if (text !== '' && (value < range.min || value > range.max))
      problems.push(`${name} = ${JSON.stringify(text)}: expected ${RULES[name].expected}`);
    return value;
  };
  const timeoutMinutes = minutes('TimeoutMinutes', STALE_TIMEOUT_MINUTES);
  const intervalMinutes = minutes('IntervalMinutes', STALE_CHECK_INTERVAL_MINUTES);
  const where = readWarehouse(event, problems);
  if (problems.length > 0) throw new PropertyError(problems, 'the stale-load check');
  return { where, time: new Date(time), timeoutMinutes, intervalMinutes };
}

/**
 * Which running loads this run reports: those whose timeout ended in (time - interval, time]. The
 * schedule's runs are one interval apart, so their windows tile the clock and each load that stays
 * past its timeout falls in exactly one run's window: reported once, however long it runs on.
 */
export function dueLoads(running: readonly RunningLoad[], input: Omit<StaleCheckInput, 'where'>): StaleLoad[] {
  const end = input.time.getTime();
  const start = end - input.intervalMinutes * 60_000;
  return running.flatMap((load) => {
    if (!load.createdAt) return [];
    const deadline = load.createdAt.getTime() + input.timeoutMinutes * 60_000;
    return deadline > start && deadline <= end
      ? [{ loadId: load.name.slice(LOAD_STATEMENT_PREFIX.length), statementId: load.id, submittedAt: load.createdAt.toISOString() }]
      : [];
  });
}

/**
 * The stale-load check (lib/schedule/stale-load-check.ts), run every few minutes as the role that
 * submits background loads. EventBridge delivers the Data API's FAILED and ABORTED events on a best
 * effort basis, and a load that never ends sends none; this reports a load batch still running past
 * its timeout. The Data API is where a running load shows: its load_history row is written inside
 * its own transaction, so no other session sees it before it commits (lambda/loader/history.ts).
 * load_history is read only when there is something to report, to say what the warehouse still
 * holds: a quiet run runs no SQL (on Serverless it would bill the workgroup's minimum each time).
 */
export async function handleStaleLoads(event: Readonly<Record<string, unknown>>, deps: LoaderDeps): Promise<StaleCheckResult> {
  const input = parseStaleCheckInput(event);
  const running = await runningLoads(deps, input.where);
  const due = dueLoads(running, input);
  const checkedAt = input.time.toISOString();
  if (due.length === 0) {
    deps.log.info('stale-check', { checkedAt, running: running.length, stale: 0 });
    return { checkedAt, running: running.length, stale: 0 };
  }
  const holds = await stillHeld(deps, input.where);
  const timeout = input.timeoutMinutes % 60 === 0 ? `${input.timeoutMinutes / 60} h` : `${input.timeoutMinutes} min`;
  const lines = due.map(
    (load) =>
      `load ${load.loadId} (Data API statement ${load.statementId}), submitted ${load.submittedAt}, ` +
      `is still running after the background-load timeout of ${timeout} (sparkify:backgroundLoadTimeoutHours)`,
  );
  const message =
    `${lines.join('; ')}. ${holds} This is reported once; if the load then fails, the LoadFailures rule reports that too. ` +
    `To stop it: aws redshift-data cancel-statement --id <statement> (it rolls back).`;
  deps.log.error('stale-check', { checkedAt, running: running.length, stale: due, reason: message });
  throw new StaleLoadsError(`Sparkify stale load check at ${checkedAt}: ${message}`, due);
}

/** What the warehouse holds meanwhile: load_history's last succeeded load. Never throws: the report matters more. */
async function stillHeld(deps: LoaderDeps, where: LoaderWhere): Promise<string> {
  try {
    const rows = await runQuery(deps, { ...where, loadId: CHECK_NAME }, sqlFile(deps.files(), 'catalog/last_succeeded_load.sql'));
    const last = rows[0]?.load_id;
    return last === undefined || last === null
      ? 'load_history has no succeeded load: the warehouse holds no complete load yet.'
      : `The warehouse still holds load ${String(last)}, the last that succeeded.`;
  } catch (error) {
    return `load_history could not be read (${errorName(error)}).`;
  }
}
