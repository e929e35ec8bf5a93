import { createHash } from 'node:crypto';
import type { SqlEngine } from '../engine';
import { AGGREGATE_FUNCTIONS_SQL } from './aggregate-functions';
import { CATALOG_VIEWS_SQL } from './catalog-views';
import { CONVERSION_FUNCTIONS_SQL } from './conversion-functions';
import { DATE_FUNCTIONS_SQL } from './date-functions';
import { HASH_FUNCTIONS_SQL } from './hash-functions';
import { JSON_TEXT_FUNCTIONS_SQL } from './json-text-functions';
import { REDSHIFT_FUNCTIONS_SQL } from './redshift-functions';
import { STRING_FUNCTIONS_SQL } from './string-functions';
import { VARBYTE_FUNCTIONS_SQL } from './varbyte-functions';
import { SPATIAL_FUNCTIONS_SQL } from './spatial-functions';
import { SUPER_FUNCTIONS_SQL } from './super-functions';
import { SYSTEM_FUNCTIONS_SQL } from './system-functions';
import { VARCHAR_SEMANTICS_SQL } from './varchar-semantics';

/** Redshift's default time zone: a setting of the session, not of the database. */
const SESSION_SQL = "SET TIME ZONE 'UTC';";

/**
 * What makes the database answer as Redshift does (functions, string comparison, catalog views),
 * kept in the database. The function families after REDSHIFT_FUNCTIONS_SQL use its
 * sparkify_not_supported; CATALOG_VIEWS_SQL creates the twin's own schema, sparkify_twin, whose
 * tables the system functions read, so they come last.
 */
const DATABASE_SQL = [
  REDSHIFT_FUNCTIONS_SQL,
  STRING_FUNCTIONS_SQL,
  HASH_FUNCTIONS_SQL,
  DATE_FUNCTIONS_SQL,
  CONVERSION_FUNCTIONS_SQL,
  JSON_TEXT_FUNCTIONS_SQL,
  AGGREGATE_FUNCTIONS_SQL,
  VARBYTE_FUNCTIONS_SQL,
  SUPER_FUNCTIONS_SQL,
  VARCHAR_SEMANTICS_SQL,
  CATALOG_VIEWS_SQL,
  SYSTEM_FUNCTIONS_SQL,
  SPATIAL_FUNCTIONS_SQL,
]
  .filter((part) => part !== '')
  .join('\n');

/** The whole prelude, for a database of one's own (tests, the conformance suite); idempotent. */
export const POSTGRES_PRELUDE = `${SESSION_SQL}\n${DATABASE_SQL}`;

/**
 * What the database records once it holds this prelude: a hash of its text and the server's
 * version (the objects it creates depend on both, e.g. the VARBYTE casts PostgreSQL 18 has built in).
 */
const INSTALLED = `sparkify prelude sha256:${createHash('sha256').update(POSTGRES_PRELUDE).digest('hex')}`;

/** Held while installing, so two sessions on one server do not both install it. */
const INSTALL_LOCK = "hashtext('sparkify prelude')";

/** The mark this prelude leaves on this server, and the one the database holds (NULL: none). */
async function marks(engine: SqlEngine): Promise<{ expected: string; stored: string | null }> {
  const { rows } = await engine.query<{ expected: string; stored: string | null }>(
    `SELECT $1 || ' on PostgreSQL ' || current_setting('server_version_num') AS expected,
       (SELECT d.description FROM pg_catalog.pg_namespace AS n
        JOIN pg_catalog.pg_description AS d ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objsubid = 0
        WHERE n.nspname = 'sparkify_twin') AS stored`,
    [INSTALLED],
  );
  const [row] = rows;
  if (!row) throw new Error('the prelude mark query returned no row');
  return row;
}

/**
 * Before a load: the session's setting, then the prelude's objects unless the database already
 * holds this very prelude (its hash, as a comment on sparkify_twin), which saves the ~0.2-1 s it
 * takes in a fresh process. A changed prelude (an upgrade) runs again with its mark, under a lock
 * that a second session waits on and then finds the mark current. Returns whether it ran.
 */
export async function installPrelude(engine: SqlEngine): Promise<boolean> {
  await engine.exec(SESSION_SQL);
  const before = await marks(engine);
  if (before.stored === before.expected) return false;
  await engine.exec(`SELECT pg_advisory_lock(${INSTALL_LOCK})`);
  try {
    const { expected, stored } = await marks(engine);
    if (stored === expected) return false;
    // One exec is one transaction (the simple query protocol, on both engines): the objects and
    // their mark commit together or not at all. COMMENT takes no parameters; the mark is letters
    // and digits, written as a literal.
    await engine.exec(`${DATABASE_SQL}\nCOMMENT ON SCHEMA sparkify_twin IS '${expected}';`);
    return true;
  } finally {
    await engine.exec(`SELECT pg_advisory_unlock(${INSTALL_LOCK})`);
  }
}
