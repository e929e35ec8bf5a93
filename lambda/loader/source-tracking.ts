import type { LoadMode } from '../../lib/plan/load-plan';
import { trackingFile, type SourceObject } from '../../lib/plan/source-diff';
import type { LoadProperties } from './properties';
import { listSource, loadFileUri, writeLoadFile } from './source-listing';
import type { LoaderDeps } from './types';

/** onEvent hands the load's mode (and its files' URIs) to isComplete under this Data key, like the schema sync. */
export const PLAN_MODE_KEY = 'PlanMode';

/** The listing as tracking.source_files COPYs it: `loads/<load_id>/files.jsonl`. */
export async function writeTrackingFile(
  deps: LoaderDeps,
  props: LoadProperties & { sourceTracking: { manifestBucket: string } },
  listing: readonly SourceObject[],
): Promise<string> {
  const uri = loadFileUri(props.sourceTracking.manifestBucket, props.loadId, 'files.jsonl');
  await writeLoadFile(deps, uri, trackingFile(listing, props.loadId), 'application/x-ndjson');
  return uri;
}

/**
 * A deploy's full load with the schedule on: lists the source and writes the listing, so the load
 * records what it read (docs/incremental-loads.md §2.2); without tracking, a plain full load.
 */
export async function fullLoadMode(deps: LoaderDeps, props: LoadProperties): Promise<LoadMode | undefined> {
  const tracking = props.sourceTracking;
  if (!tracking) return undefined;
  const began = deps.now();
  const listing = await listSource(deps, props.settings);
  const filesUri = await writeTrackingFile(deps, { ...props, sourceTracking: tracking }, listing);
  deps.log.info('listing', {
    loadId: props.loadId,
    objects: listing.length,
    events: listing.filter((object) => object.kind === 'events').length,
    filesUri,
    durationMs: deps.now() - began,
  });
  return { kind: 'full', filesUri };
}

/** The mode onEvent chose, from isComplete's event; undefined (a plain full load) when none was handed over. */
export function planModeFrom(data: Readonly<Record<string, unknown>> | undefined): LoadMode | undefined {
  const text = data?.[PLAN_MODE_KEY];
  return typeof text === 'string' && text !== '' ? (JSON.parse(text) as LoadMode) : undefined;
}
