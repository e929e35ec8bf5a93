import type { SqlOrigin } from './dialect-bridge';
import type { SqlEngine } from './engine';
import { inlineLateralAliases } from './lateral-aliases';
import { superColumnNames } from './super/columns';
import { loadRedshiftGate, runsOnComputeNodes } from './redshift-gate/gate';
import { usesSpatial } from './redshift-gate/spatial';
import { requireSpatial } from './spatial';
import { toPostgresStatement } from './table-design-record';

/** The session has run a query with a query id (a COPY sets it too: local/copy/copy-runner.ts). */
const QUERY_RAN = `SELECT set_config('sparkify.query_ran', 'on', false)`;

/**
 * A Redshift statement as the twin runs it on `engine`: lateral alias references inlined first
 * (which needs the engine's catalog: a FROM column of the same name wins), then the dialect
 * bridge's translation, told which of the statement's columns are SUPER (the catalog again). Every
 * path that runs SQL against tables goes through here: the load's steps, `sparkify query`, the
 * report, the rehearsal's Data API and the conformance suite. Spatial SQL on a database without
 * PostGIS is refused here, naming what to install. A statement Redshift would give a query id
 * marks the session as having run one (local/prelude/system-functions.ts PG_LAST_QUERY_ID).
 */
export async function twinStatement(engine: SqlEngine, sql: string, origin?: SqlOrigin): Promise<string> {
  if (usesSpatial(sql)) await requireSpatial(engine);
  await loadRedshiftGate();
  const inlined = await inlineLateralAliases(engine, sql, origin);
  const statement = toPostgresStatement(inlined, origin, await superColumnNames(engine, inlined));
  if (runsOnComputeNodes(sql)) await engine.query(QUERY_RAN);
  return statement;
}
