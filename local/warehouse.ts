import { accessSync, constants, lstatSync, readdirSync } from 'node:fs';
import { cp, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPostgresUrl, maskPassword, openEngine, spatialMarked, type SqlEngine } from './engine';
import { makeOwnerOnly, PrivateFolderError } from './private-folder';
import { newReadCopy } from './read-copy';
import { installSpatial, SpatialUnavailableError } from './spatial';
import { isPermissionError, LockBusyError, LockFileError, LockLostError, WarehouseLock, type LockHolder } from './warehouse-lock';
import { ANALYST_ROLE, ANALYST_TABLES, ANALYST_USER, LOADER_ROLE, LOADER_USER } from '../lib/rules/database-identities';

/**
 * A warehouse the CLI cannot use, in one sentence that says what to do. `exitCode` 1: the user's
 * input (a wrong --db, a busy warehouse, a refused write); 2: the environment (read-only, damaged,
 * unreachable).
 */
export class WarehouseError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'WarehouseError';
  }
}

export interface OpenWarehouseOptions {
  /**
   * 'write' opens the warehouse itself, as its one writer: a load, or `query --write`. 'read' never
   * changes its data: a PGlite folder is opened in a read-only session, in place when nothing else
   * uses it, else as a copy (see openFolderForReading); a server session is read-only.
   */
  readonly access: 'write' | 'read';
  /**
   * A reader may open a PGlite folder in place (the default), holding it alone for the session: for
   * a session that ends when its statement does (a query, a report). false always reads a copy, so
   * a session left open (a shell) never keeps a load waiting.
   */
  readonly inPlace?: boolean;
  /** What the writer does, shown to whoever waits for it: "load offline-…", "query --write". */
  readonly activity: string;
  /** How long to wait for a writer (or, for a writer, for readers) before giving up. */
  readonly waitMs: number;
  /** One line of news for the user: waiting for the lock, taking over a dead writer's, installing PostGIS. */
  readonly notice?: (line: string) => void;
  /**
   * The SQL to run uses Redshift's spatial SQL (local/redshift-gate/spatial.ts usesSpatial): the
   * warehouse gets PostGIS first, once (local/spatial.ts), under the writer's lock, even for a reader.
   */
  readonly spatial?: boolean;
}

export interface OpenWarehouse {
  readonly engine: SqlEngine;
  /** How long it waited for another process's hold on the warehouse. */
  readonly waitedMs: number;
  /** Closes the engine, then releases the lock and removes a reader's copy. */
  close(): Promise<void>;
}

/** Session characteristics of a reader: PostgreSQL itself refuses any write (SQLSTATE 25006). */
const READ_ONLY = 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY';
/** SQLSTATE read_only_sql_transaction: a reader tried to write. */
export const READ_ONLY_VIOLATION = '25006';
/** Serialises writers on a server: one advisory lock per database, held for the session. */
export const SERVER_WRITER_LOCK = 0x53504b59; // "SPKY"

/** Opens the warehouse `target` (a PGlite folder or a postgres:// URL) for reading or writing. */
export async function openWarehouse(target: string, options: OpenWarehouseOptions): Promise<OpenWarehouse> {
  if (isPostgresUrl(target)) return openServer(target, options);
  const dir = await canonicalFolder(target);
  return options.access === 'write' ? openFolderForWriting(dir, options) : openFolderForReading(dir, options);
}

/** One name per folder, whatever symlinks or relative paths led to it, so they all share one lock. */
async function canonicalFolder(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const real = await realpath(absolute).catch(() => undefined);
  if (real) return real;
  const parent = await realpath(path.dirname(absolute)).catch(() => undefined);
  return parent ? path.join(parent, path.basename(absolute)) : absolute;
}

/** The lock file of a warehouse folder: beside it, so the folder stays a plain PostgreSQL data directory. */
export function lockPathOf(dir: string): string {
  return `${path.resolve(dir)}.lock`;
}

type FolderState = 'missing' | 'empty' | 'warehouse';

/** What is at `dir`, refusing what sparkify must never write into. */
async function inspectFolder(dir: string): Promise<FolderState> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new WarehouseError(
        `--db ${dir} is a file, not a warehouse folder: give a folder (it is created when missing), e.g. --db .sparkify/db`,
        1,
      );
    }
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof WarehouseError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw new WarehouseError(`--db ${dir}: a part of the path is a file, not a folder; give a folder path`, 1);
    if (isPermissionError(error)) throw new WarehouseError(`--db ${dir} cannot be read (${code}): give a folder you can read and write`, 2);
    throw error;
  }
  if (entries.length === 0) return 'empty';
  if (entries.includes('PG_VERSION')) return 'warehouse';
  throw new WarehouseError(
    `--db ${dir} is a folder that is not a warehouse (it holds ${entries.length === 1 ? '1 other entry' : `${entries.length} other entries`} and no PG_VERSION), ` +
      'and sparkify will not write into it: give an empty or new folder, e.g. --db .sparkify/db',
    1,
  );
}

async function openFolderForWriting(dir: string, options: OpenWarehouseOptions): Promise<OpenWarehouse> {
  await inspectFolder(dir);
  try {
    await mkdir(path.dirname(dir), { recursive: true });
  } catch (error) {
    throw environmentError(error, `cannot create the folder for --db ${dir}`);
  }
  let lock: WarehouseLock;
  try {
    lock = await WarehouseLock.acquire(lockPathOf(dir), 'exclusive', options.activity, lockWait(dir, options));
  } catch (error) {
    throw lockError(error, dir, options);
  }
  try {
    if (lock.tookOverFrom) {
      options.notice?.(
        `took over the warehouse at ${dir} from ${describeHolder(lock.tookOverFrom)}, which ended without releasing it; its unfinished work is discarded`,
      );
    }
    // Checked again under the lock: the folder may have been created while this waited.
    const state = await inspectFolder(dir);
    if (state === 'warehouse') assertWritable(dir);
    const engine = await openEngine(dir, { spatial: options.spatial }).catch((error: unknown) => {
      if (error instanceof PrivateFolderError) throw privateFolderError(dir, error);
      throw state === 'warehouse' ? damagedError(dir, error) : environmentError(error, `cannot create a warehouse at ${dir}`);
    });
    try {
      if (options.spatial) await installSpatial(engine, options.notice);
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
    return opened(engine, lock.waitedMs, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * A reader. PGlite is one process's engine: opening a folder writes to it (pg_control, the
 * write-ahead log, hint bits and a checkpoint on close) whatever the session does, so two processes
 * must never have one folder open. A reader first waits for any writer under the shared lock (so it
 * answers from the last committed load, never half of one), then:
 * - in place, when the lock can be made exclusive at once (no other reader holds it) and the folder
 *   is this user's and writable: the engine opens the folder itself, and holds it until the
 *   session ends, as a writer would, but in a read-only session as the analyst (the caller's
 *   actAs), one statement a session: PostgreSQL refuses any write (25006), so the data is the
 *   load's, bit for bit; only PostgreSQL's own bookkeeping is written. No copy: the answer costs
 *   the engine's start alone. A killed reader leaves what a killed writer leaves, less any
 *   unfinished work: the next opener's recovery replays the log.
 * - else as a copy, as before: the folder is copied under the shared lock (other readers may copy
 *   at once, which an in-place reader would not allow), the lock is released, and the copy is
 *   opened. Another user's warehouse, a read-only one and a shell's session (inPlace false) are read so.
 * A copy while a writer works would copy a folder in the middle of being written: readers wait.
 */
async function openFolderForReading(dir: string, options: OpenWarehouseOptions): Promise<OpenWarehouse> {
  const noWarehouse = () => new WarehouseError(`--db ${dir}: no warehouse there yet; run 'npx sparkify load --db ${dir}' first`, 1);
  if ((await inspectFolder(dir)) !== 'warehouse') throw noWarehouse();
  // A reader's copy is thrown away: PostGIS goes into the warehouse itself, once, as a writer would.
  if (options.spatial && !(await spatialMarked(dir))) {
    await (await openFolderForWriting(dir, { ...options, access: 'write', activity: 'installing PostGIS' })).close();
  }
  const takeShared = () =>
    WarehouseLock.acquire(lockPathOf(dir), 'shared', options.activity, lockWait(dir, options)).catch((error: unknown) => {
      throw lockError(error, dir, options);
    });
  let lock = await takeShared();
  let inPlace: InPlace | undefined;
  try {
    if ((await inspectFolder(dir)) !== 'warehouse') throw noWarehouse();
    inPlace = options.inPlace === false ? undefined : openableInPlace(dir);
    if (inPlace && !lock.tryUpgrade()) inPlace = undefined;
  } catch (error) {
    if (!(error instanceof LockLostError)) {
      lock.release();
      throw error;
    }
    lock = await takeShared();
  }
  if (inPlace) {
    try {
      const engine = await openEngine(dir, { ownerOnly: inPlace.ownerOnly }).catch((error: unknown) => {
        throw error instanceof PrivateFolderError ? privateFolderError(dir, error) : damagedError(dir, error);
      });
      try {
        await engine.exec(READ_ONLY);
      } catch (error) {
        await engine.close().catch(() => undefined);
        throw error;
      }
      return opened(engine, lock.waitedMs, () => lock.release());
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  let copy: string | undefined;
  let removeCopy = (): Promise<void> => Promise.resolve();
  try {
    ({ copy, remove: removeCopy } = await newReadCopy(dir));
    // The writer closed the folder cleanly (or died: PostgreSQL recovers the copy), and none can start
    // while the shared lock is held, so the copy is the last committed state.
    await cp(dir, path.join(copy, 'db'), { recursive: true }).catch((error: unknown) => {
      throw environmentError(error, `cannot read the warehouse at ${dir}`);
    });
    // The copy keeps the modes of a read-only warehouse, but the engine writes to its copy.
    await makeOwnerOnly(path.join(copy, 'db'), { ownerWritable: true, shownAs: dir }).catch((error: unknown) => {
      throw error instanceof PrivateFolderError ? privateFolderError(dir, error) : error;
    });
  } catch (error) {
    lock.release();
    await removeCopy();
    throw error;
  }
  lock.release();
  try {
    const engine = await openEngine(path.join(copy, 'db')).catch((error: unknown) => {
      throw damagedError(dir, error);
    });
    await engine.exec(READ_ONLY);
    return opened(engine, lock.waitedMs, removeCopy);
  } catch (error) {
    await removeCopy();
    throw error;
  }
}

interface InPlace {
  /** Every entry was already its owner's alone (no group or other bits): nothing to restrict before opening. */
  readonly ownerOnly: boolean;
}

/**
 * Whether a reader may open the folder `dir` itself: every entry this user's (PGlite would create
 * files of this user's in another's folder) with its owner's write bit (PGlite must write, and
 * refuses an entry without one, root or not: writeRefusal), no link in it, on a mount that takes
 * writes; undefined when not. One pass over the folder, as assertWritable's: 10 to 30 ms for the
 * real bucket's 1,058 entries.
 */
function openableInPlace(dir: string): InPlace | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || writeDenied(dir)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }).map((entry) => path.join(dir, String(entry)));
  } catch {
    return undefined;
  }
  let ownerOnly = true;
  for (const where of [dir, ...entries]) {
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(where);
    } catch {
      continue; // gone meanwhile: PostgreSQL's own files come and go
    }
    if (info.isSymbolicLink() || info.uid !== uid || (info.mode & 0o200) === 0) return undefined;
    if ((info.mode & 0o077) !== 0) ownerOnly = false;
  }
  return { ownerOnly };
}

/** An open warehouse whose close() closes the engine, then always cleans up after it. */
function opened(engine: SqlEngine, waitedMs: number, cleanUp: () => unknown): OpenWarehouse {
  return {
    engine,
    waitedMs,
    async close() {
      try {
        await engine.close();
      } finally {
        await cleanUp();
      }
    },
  };
}

/**
 * Refuses, before PGlite opens it, a warehouse it could not write: PGlite would fail on it with a
 * message that reads as damage. Every file and folder of it is checked (links are not followed:
 * PGlite writes none through one), so a user who ran `chmod -R a-w` is told it is read-only,
 * whoever they are. Synchronous: the sample's warehouse, 1,057 entries, in 35 ms (80 ms through
 * fs.promises) on a busy machine.
 */
function assertWritable(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }).map((entry) => path.join(dir, String(entry)));
  } catch (error) {
    throw environmentError(error, `cannot read the warehouse at ${dir}`);
  }
  for (const where of [dir, ...entries]) {
    let refusal: ReturnType<typeof writeRefusal>;
    try {
      const info = lstatSync(where);
      if (info.isSymbolicLink()) continue;
      refusal = writeRefusal(info.mode, writeDenied(where));
    } catch {
      continue; // gone meanwhile: PostgreSQL's own files come and go
    }
    if (!refusal) continue;
    const fix = refusal.readOnlyMount
      ? 'it is on a read-only file system: load into another folder with --db'
      : `make it writable (chmod -R u+w ${dir}) or load into another folder with --db`;
    throw new WarehouseError(
      `the warehouse at ${dir} is read-only (${where}: ${refusal.reason}): a load needs to write there; ${fix}. Queries still work on it.`,
      2,
    );
  }
}

/** access(W_OK)'s error code for `where`, or undefined when this user may write it. */
function writeDenied(where: string): string | undefined {
  try {
    accessSync(where, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/**
 * Why the engine cannot write an entry of `mode` that access(W_OK) answered `denied` (its error code,
 * or undefined when allowed), or undefined when it can. The kernel refuses a user what the mode bits
 * and owner deny, and everyone, root included, a read-only mount (EROFS). PGlite's own file system
 * (Emscripten's NODEFS) refuses to write an entry with no write bit at all (its nodePermissions tests
 * mode & 0o222), root or not, where the kernel would let root: so both are asked.
 */
export function writeRefusal(
  mode: number,
  denied: string | undefined,
): { readonly reason: string; readonly readOnlyMount: boolean } | undefined {
  if (denied) return { reason: denied, readOnlyMount: denied === 'EROFS' };
  if ((mode & 0o222) === 0)
    return { reason: `no write permission, mode ${(mode & 0o7777).toString(8).padStart(4, '0')}`, readOnlyMount: false };
  return undefined;
}

/**
 * A query waiting behind another that reads the folder in place (queries started together: each
 * holds it for about a second) says nothing before this; then, as any wait, every 10 s. A writer
 * says at once what it waits for.
 */
const READER_QUIET_MS = 10_000;

function lockWait(dir: string, options: OpenWarehouseOptions) {
  return {
    waitMs: options.waitMs,
    quietWhileReadMs: options.access === 'read' ? READER_QUIET_MS : 0,
    onBusy: (holder: LockHolder | undefined, waitedMs: number) =>
      options.notice?.(
        `waiting for the warehouse at ${dir}: ${holder ? `${describeHolder(holder)} holds it` : 'a query is reading it'}` +
          (waitedMs > 0
            ? ` (waited ${Math.round(waitedMs / 1000)} s of --wait ${Math.round(options.waitMs / 1000)})`
            : ` (up to --wait ${Math.round(options.waitMs / 1000)} s)`),
      ),
  };
}

function lockError(error: unknown, dir: string, options: OpenWarehouseOptions): Error {
  if (error instanceof LockBusyError) {
    const who = error.holder ? `being used by ${describeHolder(error.holder)}` : 'being read by a query';
    return new WarehouseError(
      `the warehouse at ${dir} is ${who}; try again or pass --wait SECONDS (waited ${Math.round(error.waitedMs / 1000)} s)`,
      1,
    );
  }
  if (error instanceof LockFileError) return new WarehouseError(error.message, 2);
  if (isPermissionError(error) && options.access === 'write') {
    return new WarehouseError(
      `the warehouse at ${dir} is read-only (cannot write its lock file ${lockPathOf(dir)}: ${(error as NodeJS.ErrnoException).code}): ` +
        'a load needs a folder it can write; give another --db. Queries still work on it.',
      2,
    );
  }
  return environmentError(error, `cannot lock the warehouse at ${dir}`);
}

export function describeHolder(holder: LockHolder): string {
  const host = holder.host && holder.host !== hostname() ? ` on ${holder.host}` : '';
  return `${holder.activity} (pid ${holder.pid}${host}, since ${holder.since})`;
}

function privateFolderError(dir: string, cause: PrivateFolderError): WarehouseError {
  return new WarehouseError(`the warehouse at ${dir} cannot be kept its owner's alone: ${cause.message}`, 2);
}

/**
 * A warehouse the engine cannot open, once read-only was ruled out. The advice moves it away and
 * never deletes it: the twin cannot tell a folder beyond repair from one another tool (or another
 * PGlite) could still read.
 */
function damagedError(dir: string, cause: unknown): WarehouseError {
  return new WarehouseError(
    `the warehouse at ${dir} is damaged and cannot be opened (${engineMessage(cause)}). ` +
      `Start fresh and keep it: move it away (mv ${dir} ${dir}.damaged), then run 'npx sparkify load --db ${dir}'.`,
    2,
  );
}

function environmentError(cause: unknown, what: string): WarehouseError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const hint = isPermissionError(cause) ? ': permission denied; give a --db folder you can write' : '';
  return new WarehouseError(`${what} (${code ?? engineMessage(cause)})${hint}`, 2);
}

/** PGlite throws Errors, RuntimeErrors ("Aborted()") and Emscripten ErrnoError objects that are not Errors. */
function engineMessage(cause: unknown): string {
  if (cause instanceof Error) return cause.message.replace(/\. Build with -sASSERTIONS.*$/s, '');
  if (cause && typeof cause === 'object') return JSON.stringify(cause);
  return String(cause);
}

async function openServer(url: string, options: OpenWarehouseOptions): Promise<OpenWarehouse> {
  const engine = await openEngine(url).catch((error: unknown) => {
    throw new WarehouseError(`cannot connect to the PostgreSQL server at ${maskPassword(url)} (${engineMessage(error)})`, 2);
  });
  try {
    if (options.spatial) {
      await installSpatial(engine, options.notice).catch((error: unknown) => {
        throw error instanceof SpatialUnavailableError ? new WarehouseError(error.message, 2) : error;
      });
    }
    if (options.access === 'read') {
      // MVCC: a reader sees the last committed load, even while a load runs.
      await engine.exec(READ_ONLY);
      return opened(engine, 0, () => undefined);
    }
    return opened(engine, await takeServerWriterLock(engine, options), () => undefined);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
}

/** A session advisory lock: the server drops it when the connection ends, however the process ends. */
async function takeServerWriterLock(engine: SqlEngine, options: OpenWarehouseOptions): Promise<number> {
  const name = `sparkify ${options.activity} pid ${process.pid}`.slice(0, 63);
  await engine.query('SELECT set_config($1, $2, false)', ['application_name', name]);
  const began = performance.now();
  let reported = false;
  for (;;) {
    const { rows } = await engine.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SERVER_WRITER_LOCK]);
    if (rows[0]?.locked) return performance.now() - began;
    const holder = await engine.query<{ name: string; since: Date | string }>(
      `SELECT a.application_name AS name, a.backend_start AS since FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [SERVER_WRITER_LOCK],
    );
    const who = holder.rows[0]
      ? `${holder.rows[0].name} (connected since ${new Date(holder.rows[0].since).toISOString()})`
      : 'another writer';
    const waited = performance.now() - began;
    if (waited >= options.waitMs) {
      throw new WarehouseError(`the warehouse database is being used by ${who}; try again or pass --wait SECONDS`, 1);
    }
    if (!reported)
      options.notice?.(`waiting for the warehouse database: ${who} holds it (up to --wait ${Math.round(options.waitMs / 1000)} s)`);
    reported = true;
    await sleep(250);
  }
}

/** Who a session acts as: the analyst for a query, the loader for `query --write` (lib/rules/database-identities.ts). */
export type WarehouseIdentity = 'analyst' | 'loader';

/** SQLSTATE insufficient_privilege: the identity may not do what the statement asks. */
export const PERMISSION_DENIED = '42501';

export function identityOf(who: WarehouseIdentity): { readonly user: string; readonly role: string; readonly may: string } {
  return who === 'analyst'
    ? { user: ANALYST_USER, role: ANALYST_ROLE, may: `reads ${ANALYST_TABLES.join(', ')}; nothing else` }
    : { user: LOADER_USER, role: LOADER_ROLE, may: "what a load does: the product's tables, not roles, users or other objects" };
}

/**
 * Acts as `who` for the rest of the session, as Redshift would sign the query in (SET ROLE: the
 * twin connects as a superuser, which may take any role; the SQL it then runs may not take another,
 * see the dialect bridge). The roles are the bootstrap's: a warehouse never loaded has none.
 */
export async function actAs(engine: SqlEngine, who: WarehouseIdentity): Promise<void> {
  const { user } = identityOf(who);
  try {
    await engine.exec(`SET ROLE ${user}`);
  } catch (error) {
    // A missing role: 42704 on PGlite, 22023 (invalid_parameter_value) from a PostgreSQL server.
    const code = (error as { code?: unknown }).code;
    if (code !== '42704' && !(code === '22023' && /role .* does not exist/.test((error as Error).message))) throw error;
    throw new WarehouseError(
      `this warehouse has no ${user} yet (no load has run on it since the product's database roles exist): run 'npx sparkify load' on it once, which creates them`,
      1,
    );
  }
}
