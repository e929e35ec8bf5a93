import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { folderBytes } from './folder-bytes';

/**
 * A reader's copy of a warehouse folder (local/warehouse.ts copies the folder into it and opens the
 * copy): a folder of its own, 0700 (mkdtemp), removed by `remove`, or however the process ends
 * (kill -9 included).
 */
export interface ReadCopy {
  readonly copy: string;
  readonly remove: () => Promise<void>;
}

const READ_COPY_PREFIX = 'sparkify-read-';

/** A new, empty copy folder for the warehouse `dir`, after removing this user's copies that readers killed left behind. */
export async function newReadCopy(dir: string): Promise<ReadCopy> {
  const root = await copyRoot(dir);
  await removeOrphanedCopies(root);
  const copy = await mkdtemp(path.join(root, `${READ_COPY_PREFIX}${process.pid}-`));
  return { copy, remove: holdCopy(copy) };
}

/**
 * Where a reader copies the warehouse: memory (/dev/shm, where there is one with room for four
 * copies) copies the real bucket's 66 MB folder about five times faster than a disk; else the temp folder.
 */
async function copyRoot(dir: string): Promise<string> {
  const shm = '/dev/shm';
  const room = await statfs(shm).then(
    (fs) => fs.bavail * fs.bsize,
    () => 0,
  );
  if (room > 0 && room > 4 * (await folderBytes(dir))) {
    const writable = await access(shm, constants.W_OK).then(
      () => true,
      () => false,
    );
    if (writable) return shm;
  }
  return tmpdir();
}

/**
 * A copy whose reader and remover were both killed is left behind: the next reader removes it, if
 * it is this user's (root, who may remove anything, leaves other users' copies alone).
 */
export async function removeOrphanedCopies(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const uid = process.getuid?.();
  for (const name of entries) {
    const pid = Number(new RegExp(`^${READ_COPY_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const where = path.join(root, name);
    const stats = await lstat(where).catch(() => undefined);
    if (!stats?.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
    await rm(where, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Removes `copy` by the returned function, or else when this process ends, however it ends: Ctrl-C,
 * kill, kill -9, exit. No handler of this process could: a signal handler runs only between
 * PGlite's computations, which hold the main thread (Ctrl-C would wait for the query), and never
 * after kill -9. A shell in a session of its own (a terminal's Ctrl-C reaches its foreground
 * process group, not it) waits for its end of a pipe from this process to close, which the kernel
 * does when this process ends, then removes the copy. Without a shell, the next reader removes it.
 */
function holdCopy(copy: string): () => Promise<void> {
  const remover = spawn('/bin/sh', ['-c', 'cat >/dev/null; exec rm -rf -- "$1"', 'sparkify-read-copy-remover', copy], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  remover.on('error', () => undefined);
  remover.unref();
  // A child's piped stdin is a socket: unreferenced, it keeps this process from ending no longer than the child does.
  const pipe = remover.stdin as Socket | null;
  pipe?.on('error', () => undefined);
  pipe?.unref();
  return async () => {
    await rm(copy, { recursive: true, force: true });
    pipe?.destroy();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
