import { errorName } from './data-api';
import { cancelOtherLoads, latestLoad, pendingData, reportData } from './history';
import { withSchemaSync } from '../../lib/plan/schema-sync';
import { preflight } from './preflight';
import { SCHEMA_SYNC_KEY, readSchemaSync } from './schema-sync';
import { parseProperties, physicalResourceId, type LoadProperties } from './properties';
import { assertFitsResponse } from './response';
import { PLAN_MODE_KEY, fullLoadMode } from './source-tracking';
import { buildPlan, statementName, submitLoad } from './submit';
import type { LoaderDeps, OnEventResponse, ProviderEvent } from './types';

/** The physical id a Delete keeps: whatever CloudFormation has, since the framework refuses a change. */
const FALLBACK_PHYSICAL_ID = 'sparkify-load';

export async function handleOnEvent(event: ProviderEvent, deps: LoaderDeps): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') return onDelete(event, deps);
  if (event.RequestType !== 'Create' && event.RequestType !== 'Update') {
    throw new Error(`unknown RequestType '${String(event.RequestType)}': expected Create, Update or Delete`);
  }
  const props = parseProperties(event.ResourceProperties);
  const physicalId = physicalResourceId(props);

  // Rollback safety first, before preflight: the rollback update that follows a failed reload
  // re-sends the previous properties, and must succeed even if the role or bucket changed since.
  const previous = await alreadyLoaded(deps, props);
  if (previous) {
    const data = reportData(previous);
    assertFitsResponse(event, physicalId, data);
    const cancelled = await cancelOtherLoads(deps, props, statementName(props.loadId));
    deps.log.info('submit', {
      loadId: props.loadId,
      outcome: 'skipped',
      note: 'this load already succeeded (a rollback, or an unchanged pinned load): nothing was touched',
      ...(cancelled.length > 0 ? { cancelledLoads: cancelled } : {}),
    });
    return { PhysicalResourceId: physicalId, Data: data };
  }

  let began = deps.now();
  await preflight(deps, props);
  deps.log.info('preflight', { loadId: props.loadId, durationMs: deps.now() - began, target: physicalId });

  began = deps.now();
  const base = buildPlan(deps, props);
  const sync = await readSchemaSync(deps, props, base);
  // With the schedule on, the full load also records the listing it read (TrackSources).
  const mode = await fullLoadMode(deps, props);
  const plan = withSchemaSync(deps.files(), mode ? buildPlan(deps, props, mode) : base, sync);
  const statementId = await submitLoad(deps, props, plan, event.RequestId ?? `${props.loadId}:${event.RequestType}`);
  deps.log.info('submit', {
    loadId: props.loadId,
    statementId,
    fingerprint: plan.fingerprint,
    statements: plan.steps.length,
    mode: props.loadMode,
    durationMs: deps.now() - began,
  });
  const data =
    props.loadMode === 'submit'
      ? pendingData(props, plan.fingerprint)
      : // SubmittedAt (epoch ms): isComplete's backoff schedule counts from it.
        { LoadId: props.loadId, Fingerprint: plan.fingerprint, Outcome: 'running', SubmittedAt: String(deps.now()) };
  // isComplete names steps by their place in this batch: it rebuilds the same plan from this.
  const handOver: Record<string, string> = {
    ...(sync.rebuilt.length > 0 || (sync.unchanged ?? []).length > 0 || sync.analystGranted
      ? { [SCHEMA_SYNC_KEY]: JSON.stringify(sync) }
      : {}),
    ...(mode ? { [PLAN_MODE_KEY]: JSON.stringify(mode) } : {}),
  };
  return { PhysicalResourceId: physicalId, Data: { ...data, ...handOver, StatementId: statementId } };
}

/** Delete touches nothing (the data goes with the cluster): it succeeds at once, whatever the properties. */
function onDelete(event: ProviderEvent, deps: LoaderDeps): OnEventResponse {
  const id =
    typeof event.PhysicalResourceId === 'string' && event.PhysicalResourceId !== '' ? event.PhysicalResourceId : FALLBACK_PHYSICAL_ID;
  deps.log.info('delete', { physicalResourceId: id, note: 'nothing to do: the warehouse data goes with the cluster' });
  return { PhysicalResourceId: id };
}

async function alreadyLoaded(deps: LoaderDeps, props: LoadProperties) {
  const began = deps.now();
  try {
    const row = await latestLoad(deps, props);
    const succeeded = row?.outcome === 'succeeded' ? row : undefined;
    deps.log.info('history', { loadId: props.loadId, latestOutcome: row?.outcome ?? 'none', durationMs: deps.now() - began });
    if (succeeded && succeeded.fingerprint !== props.fingerprint) {
      deps.log.warn('history', {
        loadId: props.loadId,
        note: 'recorded fingerprint differs from the property',
        recorded: succeeded.fingerprint,
        property: props.fingerprint,
      });
    }
    return succeeded;
  } catch (error) {
    // Not knowing is not a reason to fail: load as usual (preflight will say what is wrong).
    deps.log.warn('history', {
      loadId: props.loadId,
      note: 'could not read load_history; loading',
      error: errorName(error),
      durationMs: deps.now() - began,
    });
    return undefined;
  }
}
