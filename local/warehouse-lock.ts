import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { tryLock, unlock } from 'fs-native-extensions';

/** Who holds a warehouse for writing: written into the lock file by the holder, read by whoever waits. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** What it is doing, e.g. "load offline-2026-…" or "query --write". */
  readonly activity: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

export interface LockWait {
  /** How long to wait for a busy lock before giving up with LockBusyError. */
  readonly waitMs: number;
  /** Told once when the lock is found busy, then every `reportEveryMs` while waiting. */
  readonly onBusy?: (holder: LockHolder | undefined, waitedMs: number) => void;
  /** @default 10_000 */
  readonly reportEveryMs?: number;
  /** While only readers hold it (no holder record), the first report waits this long. @default 0 */
  readonly quietWhileReadMs?: number;
}

/** The lock stayed busy for the whole wait. `holder` is undefined while readers hold it. */
export class LockBusyError extends Error {
  constructor(
    readonly holder: LockHolder | undefined,
    readonly waitedMs: number,
  ) {
    super(`lock busy after ${waitedMs} ms`);
    this.name = 'LockBusyError';
  }
}

/** The lock file is not a regular file of this user's: sparkify neither follows it nor writes into it. */
export class LockFileError extends Error {
  constructor(
    readonly lockPath: string,
    what: string,
  ) {
    super(
      `the lock file ${lockPath} is ${what}, and sparkify locks only a regular file of yours there: remove it (rm ${lockPath}) and run again`,
    );
    this.name = 'LockFileError';
  }
}

const POLL_MS = 100;

/**
 * One warehouse folder's lock: exclusive for a writer (a load, `query --write`), shared for readers
 * while they copy the folder. It is the operating system's lock on an open file (kernel-released when
 * the descriptor closes or the process dies, kill -9 included), so there is no staleness to judge and
 * no check-then-create race. The holder's pid, activity and start are kept in the file for waiters;
 * a holder that ended cleanly empties it, so content found on taking the lock names one that was killed.
 */
export class WarehouseLock {
  private released = false;

  private constructor(
    private readonly fd: number | undefined,
    private held: 'exclusive' | 'shared',
    /** A writer that died holding the lock, whose record this lock found and replaced. */
    readonly tookOverFrom: LockHolder | undefined,
    /** How long it waited for other holders. */
    readonly waitedMs = 0,
  ) {
    this.writesRecord = held === 'exclusive';
  }

  /** Taken exclusive by a writer, which wrote its record into the file (not a reader made exclusive). */
  private readonly writesRecord: boolean;

  /**
   * Takes the lock at `lockPath`, waiting as `wait` says. Exclusive needs to create or write the file
   * (the error is the caller's to explain); shared settles for reading it, and where the file cannot be
   * created at all (a read-only place) returns a lock that holds nothing: no writer can work there either.
   */
  static async acquire(lockPath: string, mode: 'exclusive' | 'shared', activity: string, wait: LockWait): Promise<WarehouseLock> {
    const fd = openLockFile(lockPath, mode);
    if (fd === undefined) return new WarehouseLock(undefined, mode, undefined);
    try {
      const began = performance.now();
      let reported = -Infinity;
      let reportedPid: number | undefined;
      while (!tryLock(fd, { shared: mode === 'shared' })) {
        const waited = Math.round(performance.now() - began);
        const holder = readHolder(fd);
        if (waited >= wait.waitMs) throw new LockBusyError(holder, waited);
        // Told again when another process took the lock meanwhile, or after a while.
        const quiet = holder === undefined && waited < (wait.quietWhileReadMs ?? 0);
        if (!quiet && (holder?.pid !== reportedPid || waited - reported >= (wait.reportEveryMs ?? 10_000))) {
          reported = waited;
          reportedPid = holder?.pid;
          wait.onBusy?.(holder, waited);
        }
        await sleep(Math.min(POLL_MS, wait.waitMs - waited));
      }
      const previous = readHolder(fd);
      if (mode === 'exclusive') {
        const record: LockHolder = { pid: process.pid, host: hostname(), activity, since: new Date().toISOString() };
        ftruncateSync(fd, 0);
        writeSync(fd, `${JSON.stringify(record)}\n`, 0);
      }
      return new WarehouseLock(fd, mode, previous, performance.now() - began);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get mode(): 'exclusive' | 'shared' {
    return this.held;
  }

  /**
   * Makes a shared lock exclusive if no other process holds it, without waiting and without a
   * holder record (a reader that opens the folder itself: whoever waits is told a query reads it).
   * False, still shared, when another reader holds it too, or the lock holds nothing or was opened
   * read-only (another user's lock file). On Linux the lock is an open file description's record
   * lock, which changes mode atomically; flock (macOS) may drop a shared lock while trying, so it
   * is taken back, and LockLostError says when a writer took it meanwhile.
   */
  tryUpgrade(): boolean {
    if (this.released || this.fd === undefined || this.held !== 'shared') return false;
    if (lockOrRefuse(this.fd, 'exclusive')) {
      this.held = 'exclusive';
      return true;
    }
    if (!lockOrRefuse(this.fd, 'shared')) {
      this.release();
      throw new LockLostError();
    }
    return false;
  }

  /** Empties the holder record (a writer), unlocks and closes. Safe to call twice. */
  release(): void {
    if (this.released || this.fd === undefined) return;
    this.released = true;
    // A reader made exclusive by tryUpgrade wrote no record: a writer's record found here is a killed writer's, for the next writer to report.
    if (this.held === 'exclusive' && this.writesRecord) ftruncateSync(this.fd, 0);
    unlock(this.fd);
    closeSync(this.fd);
  }
}

/** A reader's shared lock, dropped by flock while trying to make it exclusive, that a writer took meanwhile: wait for it again. */
export class LockLostError extends Error {
  constructor() {
    super('the shared lock was taken by a writer while trying to make it exclusive');
    this.name = 'LockLostError';
  }
}

/** tryLock in `mode`; false, the lock unchanged, where the file was opened read-only and cannot take an exclusive lock (EBADF). */
function lockOrRefuse(fd: number, mode: 'exclusive' | 'shared'): boolean {
  try {
    return tryLock(fd, { shared: mode === 'shared' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EBADF') return false;
    throw error;
  }
}

/**
 * Opens the lock file without following a link (O_NOFOLLOW: a link planted at <folder>.lock in a
 * shared folder such as /tmp would have a writer truncate its target), nor blocking on a FIFO, and
 * keeps it only if it is a regular file, and, for a writer, which writes into it, one of this user's.
 * A reader may share a lock with the warehouse's owner: it only reads the file.
 */
function openLockFile(lockPath: string, mode: 'exclusive' | 'shared'): number | undefined {
  const flags = constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let fd: number | undefined;
  try {
    fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT | flags, 0o644);
  } catch (error) {
    if (isLink(error)) throw new LockFileError(lockPath, 'a link');
    if (mode === 'exclusive' || !isPermissionError(error)) throw error;
  }
  try {
    fd ??= openSync(lockPath, constants.O_RDONLY | flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (isLink(error)) throw new LockFileError(lockPath, 'a link');
    throw error;
  }
  const stats = fstatSync(fd);
  const uid = process.getuid?.();
  const refusal = !stats.isFile()
    ? 'not a regular file'
    : mode === 'exclusive' && uid !== undefined && stats.uid !== uid
      ? `another user's (uid ${stats.uid})`
      : undefined;
  if (refusal) {
    closeSync(fd);
    throw new LockFileError(lockPath, refusal);
  }
  return fd;
}

/** What open(2) says of a link met with O_NOFOLLOW. */
function isLink(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOOP';
}

export function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** The record a writer left in the lock file open at `fd`, or undefined (none, or readers hold it). */
function readHolder(fd: number): LockHolder | undefined {
  try {
    const bytes = Buffer.alloc(Math.min(fstatSync(fd).size, 64 * 1024));
    const text = bytes
      .subarray(0, readSync(fd, bytes, 0, bytes.length, 0))
      .toString('utf8')
      .trim();
    if (!text) return undefined;
    const record = JSON.parse(text) as Partial<LockHolder>;
    if (typeof record.pid !== 'number' || typeof record.since !== 'string') return undefined;
    return { pid: record.pid, host: String(record.host ?? ''), activity: String(record.activity ?? 'a writer'), since: record.since };
  } catch {
    return undefined;
  }
}
