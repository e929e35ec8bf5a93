import { PlanError } from '../../lib/plan/bind';
import type { LoadPlan } from '../../lib/plan/load-plan';
import {
  catalogQueries,
  describeChanges,
  planSchemaSync,
  type CatalogColumn,
  type CatalogGrant,
  type SchemaSync,
} from '../../lib/plan/schema-sync';
import { runQuery } from './data-api';
import type { LoadProperties } from './properties';
import type { LoaderDeps } from './types';

/** onEvent hands the decision to isComplete under this Data key, so both build the same steps. */
export const SCHEMA_SYNC_KEY = 'SchemaSync';

/**
 * Reads the catalog before the load (sql/catalog/) and decides what the load rebuilds, as the
 * offline executor does (lib/plan/schema-sync.ts). A change the load will not make (to
 * load_history) fails the deploy here, before anything is submitted.
 */
export async function readSchemaSync(deps: LoaderDeps, props: LoadProperties, plan: LoadPlan): Promise<SchemaSync> {
  const queries = catalogQueries(deps.files(), plan);
  const columns = (await runQuery(deps, props, queries.columns)) as unknown as CatalogColumn[];
  const grants = (await runQuery(deps, props, queries.grants)) as unknown as CatalogGrant[];
  try {
    const sync = planSchemaSync(plan, columns, grants);
    if (sync.rebuilt.length > 0) deps.log.info('schema', { loadId: props.loadId, rebuilt: describeChanges(sync.rebuilt) });
    return sync;
  } catch (error) {
    if (error instanceof PlanError) throw new Error(`Nothing was loaded: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The decision onEvent made, from isComplete's event; none when the load rebuilds nothing. */
export function schemaSyncFrom(data: Readonly<Record<string, unknown>> | undefined): SchemaSync {
  const text = data?.[SCHEMA_SYNC_KEY];
  return typeof text === 'string' && text !== '' ? (JSON.parse(text) as SchemaSync) : { rebuilt: [], grants: [] };
}
