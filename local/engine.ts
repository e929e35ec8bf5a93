import { access, cp, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CustomTypesConfig } from 'pg';
import { makeOwnerOnly } from './private-folder';
import { superText } from './super/print';
import { isoText, utcDate } from './timestamp';

/** A column of a query result, as both engines describe it. */
export interface ResultField {
  readonly name: string;
  readonly dataTypeID: number;
}

export interface QueryResult<T = Record<string, unknown>> {
  readonly rows: T[];
  readonly fields: readonly ResultField[];
  /** Rows an INSERT, UPDATE or DELETE touched. */
  readonly affectedRows?: number;
}

/** Rows as arrays in column order: two columns of one name both survive, as they do in SQL. */
export interface ArrayQueryResult {
  readonly rows: unknown[][];
  readonly fields: readonly ResultField[];
}

/**
 * The one seam between the offline twin and a PostgreSQL engine: embedded PGlite or a server
 * through pg. One connection, so BEGIN/COMMIT issued through it cover everything after them.
 */
export interface SqlEngine {
  readonly kind: 'pglite' | 'postgres';
  /** Where the engine lives: a folder or a URL with the password masked. */
  readonly location: string;
  /** One statement, with $1-style parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** One statement, rows as arrays (what a user's query prints: every column, in order). */
  queryArrays(sql: string, params?: readonly unknown[]): Promise<ArrayQueryResult>;
  /** One or more statements, no parameters. */
  exec(sql: string): Promise<void>;
  /**
   * A `COPY ... FROM STDIN` fed from `source`: how rows reach a server fastest. Absent on PGlite,
   * which reads a server-side file instead (copy/open-row-sink.ts).
   */
  copyFromStream?(sql: string, source: Readable): Promise<void>;
  /**
   * One `COPY ... FROM STDIN` whose whole input is `data`, sent in one call: PGlite's way to take a
   * COPY's rows from this process, as any role (a server-side file needs a superuser).
   */
  copyFromBuffers?(sql: string, data: readonly Uint8Array[]): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_DB_DIR = '.sparkify/db';

/** A connection URL fit to print: its password masked. */
export function maskPassword(url: string): string {
  return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export interface EngineOptions {
  /**
   * The SQL about to run uses Redshift's spatial SQL (local/redshift-gate/spatial.ts usesSpatial):
   * PGlite loads PostGIS's code when it boots. A folder where PostGIS is installed (SPATIAL_MARKER)
   * loads it anyway. A server loads its own; installing the extension is local/spatial.ts's.
   */
  readonly spatial?: boolean;
  /**
   * The caller has just found every entry of the PGlite folder this user's alone, with no link
   * (local/warehouse.ts openableInPlace): the walk that makes it so before opening is skipped.
   * What the engine creates is made owner-only on close all the same.
   */
  readonly ownerOnly?: boolean;
}

/** Opens `postgres://...` through pg, anything else as a PGlite data folder (created when missing). */
export async function openEngine(target: string = DEFAULT_DB_DIR, options: EngineOptions = {}): Promise<SqlEngine> {
  return isPostgresUrl(target) ? openPostgres(target) : openPglite(target, options);
}

/**
 * The file a PGlite data folder holds once PostGIS is installed in it (written by local/spatial.ts
 * after CREATE EXTENSION commits), read before the folder opens: PostGIS's code is given to PGlite
 * when it boots, which costs every boot about 1.5 s (measured: docs/offline-twin.md, Spatial SQL), so only a folder
 * that has PostGIS, or SQL that needs it, pays for it. PostgreSQL ignores a file it does not know
 * in its data folder, and a copy of the folder (a reader's) keeps it.
 */
export const SPATIAL_MARKER = 'sparkify-postgis';

/** Whether PostGIS is installed in the PGlite folder `dir` (its SPATIAL_MARKER). */
export async function spatialMarked(dir: string): Promise<boolean> {
  return access(path.join(dir, SPATIAL_MARKER)).then(
    () => true,
    () => false,
  );
}

/**
 * PGlite's buffer pool lives in this process's memory, touched whole when the engine opens. 32 MB
 * instead of PGlite's 128 MB: measured at 100x the events, the load's peak 558-592 MB instead of
 * 663-673 MB and no slower (12.1-14.3 s against 13.6-16.0 s, three runs each); the pages it no
 * longer holds stay in the operating system's file cache.
 */
const PGLITE_SETTINGS = ['shared_buffers=32MB'];

async function openPglite(dir: string, options: EngineOptions): Promise<SqlEngine> {
  const { PGlite } = await import('@electric-sql/pglite');
  await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
  // Before PGlite reads or writes a byte: owner-only, and no link followed (local/private-folder.ts).
  if (!options.ownerOnly) await makeOwnerOnly(dir);
  const spatial = options.spatial === true || (await spatialMarked(dir));
  // @electric-sql/pglite-postgis 0.2.8 is built for @electric-sql/pglite 0.5.8 to 0.5.12 (package.json pins 0.5.12).
  const extensions = spatial ? { postgis: (await import('@electric-sql/pglite-postgis')).postgis } : undefined;
  const db = await PGlite.create(dir, {
    parsers: VALUE_PARSERS,
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
    ...(extensions ? { extensions } : {}),
  });
  await db.exec(SESSION_SETTINGS);
  return {
    kind: 'pglite',
    location: path.resolve(dir),
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await db.query<T>(sql, toParams(params));
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    },
    async queryArrays(sql: string, params?: readonly unknown[]) {
      const result = await db.query<unknown[]>(sql, toParams(params), { rowMode: 'array' });
      return { rows: result.rows, fields: result.fields };
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async copyFromBuffers(sql: string, data: readonly Uint8Array[]) {
      // The wire protocol's Query, CopyData and CopyDone in one message: PGlite takes a COPY's input
      // in the call that starts it. execProtocol throws the server's error as query() does.
      await db.execProtocol(copyInMessages(sql, data));
    },
    async close() {
      await db.close();
      // What PGlite created during the session has the umask's modes, unreachable inside the folder until now.
      await makeOwnerOnly(dir);
    },
  };
}

/** PostgreSQL frontend messages: Query(sql), one CopyData per piece of `data`, CopyDone. */
function copyInMessages(sql: string, data: readonly Uint8Array[]): Uint8Array {
  const query = Buffer.from(`${sql}\0`, 'utf8');
  let size = 5 + query.length + 5;
  for (const piece of data) size += 5 + piece.length;
  const message = Buffer.allocUnsafe(size);
  let at = 0;
  const header = (type: string, length: number) => {
    message[at] = type.charCodeAt(0);
    message.writeInt32BE(length + 4, at + 1);
    at += 5;
  };
  header('Q', query.length);
  at += query.copy(message, at);
  for (const piece of data) {
    header('d', piece.length);
    message.set(piece, at);
    at += piece.length;
  }
  header('c', 0);
  return message;
}

async function openPostgres(url: string): Promise<SqlEngine> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: serverTypeParser } });
  await client.connect();
  // One connection answers one query at a time (PGlite queues by itself): queue here too.
  let tail: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
  try {
    await client.query(SESSION_SETTINGS);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    kind: 'postgres',
    location: maskPassword(url),
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await serially(() => client.query(sql, toParams(params)));
      return { rows: result.rows as T[], fields: result.fields, affectedRows: result.rowCount ?? undefined };
    },
    async queryArrays(sql: string, params?: readonly unknown[]) {
      const result = await serially(() => client.query<unknown[]>({ text: sql, values: toParams(params), rowMode: 'array' }));
      return { rows: result.rows, fields: result.fields };
    },
    async exec(sql: string) {
      await serially(() => client.query(sql));
    },
    async copyFromStream(sql: string, source: Readable) {
      const { from } = await import('pg-copy-streams');
      await serially(() => pipeline(source, client.query(from(sql))));
    },
    async close() {
      await serially(() => client.end());
    },
  };
}

/**
 * Every session is UTC with ISO dates, as a Redshift session is by default
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_timezone_config.html: "Values (default in
 * bold) UTC"), whatever the machine's or the server's own setting: casts between TIMESTAMP and
 * TIMESTAMPTZ, epoch arithmetic and GETDATE() then give Redshift's answers, and the parsers below
 * read the one date format they expect.
 */
const SESSION_SETTINGS = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'";

/** PostgreSQL type oids the twin gives a JavaScript type (pg_type.oid, fixed across versions). */
export const TYPE_OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

type ValueParser = (text: string) => unknown;

/**
 * How both engines read a column's text, by type oid: one table, so PGlite and a server give the
 * same values on any machine. The defaults differ (pg: BIGINT as a string, dates in the machine's
 * time zone; PGlite: TIMESTAMP in the machine's time zone) and are replaced here:
 * - BIGINT (COUNT(*)): a number when it is a safe integer, else a bigint (PGlite's own rule).
 * - DATE, TIMESTAMP: a Date holding the UTC wall-clock time. Redshift's TIMESTAMP has no zone and
 *   its values are UTC (https://docs.aws.amazon.com/redshift/latest/dg/r_Datetime_types.html), so
 *   the wall clock is read as UTC, never as the machine's local time. TIMESTAMPTZ: the instant.
 *   Microseconds are kept beside the Date (local/timestamp.ts).
 * - NUMERIC stays the text the database printed (exact; a double may not be): output decides.
 * Any type not listed (TIME, INTERVAL, arrays...) comes back as its text on both engines.
 */
export const VALUE_PARSERS: Readonly<Record<number, ValueParser>> = {
  [TYPE_OID.bool]: (text) => text === 't',
  // Redshift prints a VARBYTE as hex without PostgreSQL's \x prefix: 616263, not \x616263
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html). pg would give a Buffer, PGlite a Uint8Array.
  [TYPE_OID.bytea]: (text) => text.replace(/^\\x/, ''),
  [TYPE_OID.int8]: (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  },
  [TYPE_OID.int2]: Number,
  [TYPE_OID.int4]: Number,
  [TYPE_OID.oid]: Number,
  [TYPE_OID.float4]: Number,
  [TYPE_OID.float8]: Number,
  // SUPER offline is json (docs/super.md): its text as Redshift prints it (local/super/print.ts),
  // keys in the document's order. jsonb likewise (a SUPER column an earlier twin made).
  [TYPE_OID.json]: superText,
  [TYPE_OID.jsonb]: superText,
  [TYPE_OID.date]: utcDate,
  [TYPE_OID.timestamp]: utcDate,
  [TYPE_OID.timestamptz]: utcDate,
  [TYPE_OID.numeric]: (text) => text,
};

const asText: ValueParser = (text) => text;

// pg's CustomTypesConfig types getTypeParser as pg-types' overloaded generic; ours is one function.
const serverTypeParser = ((oid: number) => VALUE_PARSERS[oid] ?? asText) as CustomTypesConfig['getTypeParser'];

/** Parameters as both engines should read them: a Date is its UTC instant (microseconds kept), on a server too (pg sends local time). */
function toParams(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params?.map((value) => (value instanceof Date ? isoText(value) : value));
}

/**
 * Copies a closed PGlite data folder, owner-only as openEngine leaves one: reopening a copy takes
 * ~0.4 s where a fresh init takes ~3 s.
 */
export async function clonePgliteFolder(from: string, to: string): Promise<void> {
  await stat(from);
  await mkdir(path.dirname(path.resolve(to)), { recursive: true });
  await makeOwnerOnly(to);
  await cp(from, to, { recursive: true });
  await makeOwnerOnly(to);
}
