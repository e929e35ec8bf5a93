import { clipUtf8, type LoadMode, type LoadPlan } from '../../lib/plan/load-plan';
import { historyExists, schemaIsCurrent, withSchemaSync, type SchemaSync } from '../../lib/plan/schema-sync';
import {
  ChangedSourceFilesError,
  decideFromWarehouse,
  decisionFacts,
  eventsManifest,
  type CatalogReader,
  type LoadDecision,
  type SourceObject,
} from '../../lib/plan/source-diff';
import { LOAD_ID } from '../../lib/rules/load-id';
import { SCHEDULED_TIME_PLACEHOLDER } from '../../lib/rules/scheduler';
import { clientToken, runQuery } from './data-api';
import { LoadFailedError, recordFailure } from './failure-report';
import { latestLoad, runningLoads } from './history';
import { PropertyError, parseProperties, type LoadProperties } from './properties';
import { readSchemaSync } from './schema-sync';
import { listSource, loadFileUri, writeLoadFile } from './source-listing';
import { writeTrackingFile } from './source-tracking';
import { buildPlan, submitLoad } from './submit';
import type { LoaderDeps } from './types';

/** What the schedule's Input carries besides the load's properties (lib/schedule/scheduled-load.ts). */
export const SCHEDULE_TRIGGER = 'schedule';
export const SCHEDULED_LOAD_PREFIX = 'scheduled-';
/** The most a changed-files failure says in the notice; load_history keeps its own clipped copy. */
const MAX_NOTICE_BYTES = 8192;

/** What a run did: the return value of the asynchronous invocation (logged; Lambda keeps it nowhere else). */
export interface ScheduledResult {
  readonly loadId: string;
  readonly outcome: 'submitted' | 'nothing-new' | 'already-loaded' | 'skipped-running';
  readonly mode?: LoadMode['kind'];
  readonly reason?: string;
  readonly newFiles?: number;
  readonly statementId?: string;
}

/** The event is not the schedule's: names what is wrong and what the handler takes. */
export class ScheduledEventError extends Error {
  constructor(message: string) {
    super(
      `${message}; the scheduled handler takes only the schedule's Input: the load's properties, "Trigger": "${SCHEDULE_TRIGGER}" and "ScheduledTime"`,
    );
    this.name = 'ScheduledEventError';
  }
}

/**
 * The load id of a scheduled run: `scheduled-<ScheduledTime>` (2026-12-01T01:15:00Z fits LOAD_ID
 * as it is), any other character turned into '-', at most 128 characters. A redelivered event has
 * the same time, hence the same load id and client token: it never loads twice.
 */
export function scheduledLoadId(time: unknown): string {
  if (typeof time !== 'string' || time.trim() === '') {
    throw new ScheduledEventError(
      `ScheduledTime = ${JSON.stringify(time)}: expected the time Scheduler fills in, e.g. 2026-12-01T01:15:00Z`,
    );
  }
  if (time === SCHEDULED_TIME_PLACEHOLDER) {
    throw new ScheduledEventError(
      `ScheduledTime is Scheduler's placeholder ${SCHEDULED_TIME_PLACEHOLDER}, not a time: when invoking by hand, put a time in its place, e.g. 2026-12-01T01:15:00Z`,
    );
  }
  const id = `${SCHEDULED_LOAD_PREFIX}${time.trim().replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 128);
  if (!LOAD_ID.pattern.test(id)) throw new ScheduledEventError(`ScheduledTime = ${JSON.stringify(time)} gives no valid load id`);
  return id;
}

type TrackedProps = LoadProperties & { readonly sourceTracking: { readonly manifestBucket: string } };

/**
 * The incremental load on a schedule (docs/incremental-loads.md §2.3, §6): lists the source, reads
 * what the warehouse tracked, decides, writes the load's files and submits one batch (WithEvent, so
 * a batch that fails later reaches the LoadFailures topic through EventBridge), then returns: the
 * batch runs on. A changed or vanished log file stops it before the warehouse is touched, recorded
 * as a failed load naming each key, and thrown, so the function's on-failure destination notifies.
 */
export async function handleScheduled(event: Readonly<Record<string, unknown>>, deps: LoaderDeps): Promise<ScheduledResult> {
  if ('RequestType' in event) {
    throw new ScheduledEventError(`the event has RequestType ${JSON.stringify(event.RequestType)}, so it is CloudFormation's`);
  }
  if (event.Trigger !== SCHEDULE_TRIGGER) {
    throw new ScheduledEventError(`Trigger = ${JSON.stringify(event.Trigger)}, not "${SCHEDULE_TRIGGER}"`);
  }
  const loadId = scheduledLoadId(event.ScheduledTime);
  // The schedule's own keys are no load property: the load id replaces them.
  const properties = Object.fromEntries(Object.entries(event).filter(([key]) => key !== 'Trigger' && key !== 'ScheduledTime'));
  const parsed = parseProperties({ ...properties, LoadId: loadId });
  if (!parsed.sourceTracking) {
    throw new PropertyError(["TrackSources is not 'true': a scheduled load lists the source and writes its files to ManifestBucket"]);
  }
  const props: TrackedProps = { ...parsed, sourceTracking: parsed.sourceTracking };
  const began = deps.now();

  // A redelivery of a run that already committed.
  const previous = await latestLoad(deps, props);
  if (previous?.outcome === 'succeeded') {
    deps.log.info('scheduled', { loadId, outcome: 'already-loaded', note: 'this scheduled time was loaded already: nothing was touched' });
    return { loadId, outcome: 'already-loaded' };
  }
  const running = (await runningLoads(deps, props)).map(({ name, id }) => `${name} (${id})`);
  if (running.length > 0) {
    deps.log.warn('scheduled', {
      loadId,
      outcome: 'skipped-running',
      running,
      note: 'another load is running; the next scheduled run picks up its files',
    });
    return { loadId, outcome: 'skipped-running', reason: `running: ${running.join(', ')}` };
  }

  const base = buildPlan(deps, props);
  const sync = await readSchemaSync(deps, props, base);
  const listing = await listSource(deps, props.settings);
  const decision = await decide(deps, props, base, sync, listing, began);
  const listed = { objects: listing.length, events: listing.filter((object) => object.kind === 'events').length };

  if (decision.kind === 'nothing-new') {
    deps.log.info('scheduled', { loadId, outcome: 'nothing-new', ...listed, durationMs: deps.now() - began });
    return { loadId, outcome: 'nothing-new' };
  }

  const bucket = props.sourceTracking.manifestBucket;
  let mode: LoadMode;
  if (decision.kind === 'incremental') {
    const manifestUri = loadFileUri(bucket, loadId, 'events.manifest');
    await writeLoadFile(deps, manifestUri, eventsManifest(props.settings.sourceBucket, decision.newEvents), 'application/json');
    // An incremental load appends only the new files to source_files.
    const filesUri = await writeTrackingFile(deps, props, decision.newEvents);
    mode = { kind: 'incremental', manifestUri, filesUri };
  } else {
    mode = { kind: 'full', filesUri: await writeTrackingFile(deps, props, listing) };
  }
  const plan = withSchemaSync(deps.files(), buildPlan(deps, props, mode), sync);
  const statementId = await submitLoad(deps, props, plan, loadId);
  const result: ScheduledResult = {
    loadId,
    outcome: 'submitted',
    mode: mode.kind,
    statementId,
    ...(decision.kind === 'incremental' ? { newFiles: decision.newEvents.length } : { reason: decision.reason }),
  };
  deps.log.info('scheduled', {
    ...result,
    ...(decision.kind === 'incremental' ? { files: decision.newEvents.map((object) => object.key) } : {}),
    ...listed,
    statements: plan.steps.length,
    durationMs: deps.now() - began,
  });
  return result;
}

/** decideFromWarehouse through the Data API; a changed log file is recorded as a failed load and thrown for the notice. */
async function decide(
  deps: LoaderDeps,
  props: TrackedProps,
  plan: LoadPlan,
  sync: SchemaSync,
  listing: readonly SourceObject[],
  began: number,
): Promise<LoadDecision> {
  const read: CatalogReader = async <T>(sql: string) => (await runQuery(deps, props, sql)) as unknown as T[];
  try {
    return await decideFromWarehouse(
      deps.files(),
      { listing, ...decisionFacts(plan), schemaUnchanged: schemaIsCurrent(plan, sync), historyExists: historyExists(sync) },
      read,
    );
  } catch (error) {
    if (!(error instanceof ChangedSourceFilesError)) throw error;
    // The failure-record path of a failed batch, with the step the offline executor names.
    const recorded = await recordFailure(
      deps,
      props,
      plan,
      new Date(began),
      `source.compare: ${error.message}`,
      clientToken('changed', props.loadId),
    );
    deps.log.error('scheduled', {
      loadId: props.loadId,
      outcome: 'changed-files',
      keys: error.changes.map((change) => change.key),
      recordedInHistory: recorded,
      reason: error.message,
    });
    // Bounded: the on-failure destination carries it to SNS with the event.
    throw new LoadFailedError(clipUtf8(`Scheduled load ${props.loadId} stopped before loading: ${error.message}`, MAX_NOTICE_BYTES));
  }
}
