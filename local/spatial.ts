import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SPATIAL_MARKER, type SqlEngine } from './engine';
import { POSTGRES_PRELUDE } from './prelude';

/**
 * Redshift's spatial SQL offline runs on PostGIS (https://postgis.net), with Redshift's answers
 * from the prelude's spatial part (local/prelude/spatial-functions.ts). PostGIS is installed in a
 * warehouse the first time SQL needs it, once: on PGlite from @electric-sql/pglite-postgis, on a
 * server from the server's own PostGIS package.
 */

/** The Debian and Ubuntu package that gives a PostgreSQL server of that major version PostGIS. */
export function postgisPackage(major: number): string {
  return `postgresql-${major}-postgis-3`;
}

/** Spatial SQL on an engine without PostGIS: says what to install or how to open it. */
export class SpatialUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpatialUnavailableError';
  }
}

/** The PostGIS version installed in the engine's database, or undefined. */
async function installedPostgis(engine: SqlEngine): Promise<string | undefined> {
  const { rows } = await engine.query<{ version: string }>(
    "SELECT extversion AS version FROM pg_catalog.pg_extension WHERE extname = 'postgis'",
  );
  return rows[0]?.version;
}

/** Why PostGIS cannot be installed here: a server lacks its package; PGlite was opened without it. */
async function unavailable(engine: SqlEngine): Promise<SpatialUnavailableError> {
  if (engine.kind === 'pglite') {
    return new SpatialUnavailableError(
      `PostGIS is not loaded in the PGlite engine at ${engine.location}: open it with openEngine(dir, { spatial: true }) (local/engine.ts) to run Redshift's spatial SQL`,
    );
  }
  const { rows } = await engine.query<{ major: string }>("SELECT current_setting('server_version_num')::int / 10000 AS major");
  const major = Number(rows[0]?.major);
  return new SpatialUnavailableError(
    `Redshift's spatial SQL runs offline on PostGIS, which the PostgreSQL ${major} server at ${engine.location} does not have: ` +
      `install the package ${postgisPackage(major)} on the server (apt-get install ${postgisPackage(major)} on Debian or Ubuntu), ` +
      'or run the query on the default PGlite warehouse (no --db), which brings its own',
  );
}

/**
 * Makes the engine's database ready for Redshift's spatial SQL: PostGIS, then the prelude (whose
 * spatial part needs PostGIS, and may need the rest on a warehouse no load prepared yet), installed once (5 to 13 s on PGlite) as the superuser the twin connects as, in a
 * transaction of its own under an advisory lock (two sessions on one server wait for each other).
 * `notice` is told the first time. On PGlite the folder's SPATIAL_MARKER is written after the
 * commit, so later opens load PostGIS's code. Throws SpatialUnavailableError where PostGIS is missing.
 */
export async function installSpatial(engine: SqlEngine, notice?: (line: string) => void): Promise<void> {
  if (!(await installedPostgis(engine))) {
    const { rows } = await engine.query("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'postgis'");
    if (rows.length === 0) throw await unavailable(engine);
    notice?.('installing the spatial engine (PostGIS) in this warehouse, once');
    await engine.exec('BEGIN');
    try {
      await engine.exec(
        `SELECT pg_advisory_xact_lock(hashtext('sparkify postgis')); CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public; ${POSTGRES_PRELUDE}`,
      );
      await engine.exec('COMMIT');
    } catch (error) {
      await engine.exec('ROLLBACK');
      throw error;
    }
  }
  if (engine.kind === 'pglite')
    await writeFile(path.join(engine.location, SPATIAL_MARKER), 'PostGIS is installed in this warehouse (local/spatial.ts)\n');
}

/**
 * Refuses, before it runs, spatial SQL on an engine whose database has no PostGIS: the twin opens
 * an engine for spatial SQL knowing it will run (local/warehouse.ts), so this names the missing
 * package, never PostgreSQL's "function st_point(...) does not exist".
 */
export async function requireSpatial(engine: SqlEngine): Promise<void> {
  if (await installedPostgis(engine)) return;
  const { rows } = await engine.query("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'postgis'");
  if (rows.length === 0) throw await unavailable(engine);
  throw new SpatialUnavailableError(
    `PostGIS is not installed in the database at ${engine.location}, and this session cannot install it: run the spatial SQL through ` +
      "'npx sparkify query', which installs it once",
  );
}
