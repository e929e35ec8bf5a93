import { chmod, lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/** What keeps a folder from being made owner-only, in a sentence that ends with what to do. */
export class PrivateFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateFolderError';
  }
}

/**
 * Makes the folder `dir` (created when missing) and everything in it its owner's alone. PGlite
 * creates its files with the process's umask (0644 and 0755 under the usual 022), so a warehouse
 * would be readable by every user of the machine. The folder is done first: from then on no other
 * user can reach anything inside, whatever its mode, including files the engine creates later.
 * Group and other lose every bit and the owner's stay, so a read-only warehouse stays read-only;
 * `ownerWritable` sets 0700 and 0600 (a reader's copy, which the engine writes to). A link is
 * refused, never followed: a chmod through it, or the engine writing through it, would reach a
 * file outside the folder.
 */
export async function makeOwnerOnly(dir: string, options: OwnerOnlyOptions = {}): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  await restrict(dir, options.ownerWritable === true, (where) => path.join(options.shownAs ?? dir, path.relative(dir, where)));
}

export interface OwnerOnlyOptions {
  readonly ownerWritable?: boolean;
  /** The folder's name in messages, where `dir` is a copy of it (a reader's). */
  readonly shownAs?: string;
}

async function restrict(where: string, ownerWritable: boolean, shown: (where: string) => string): Promise<void> {
  const stats = await lstat(where);
  if (stats.isSymbolicLink()) {
    throw new PrivateFolderError(
      `${shown(where)} is a link (to ${await readlink(where)}), and sparkify follows no link in a warehouse folder: remove the link`,
    );
  }
  const folder = stats.isDirectory();
  const mode = ownerWritable ? (folder ? 0o700 : 0o600) : stats.mode & 0o700;
  if ((stats.mode & 0o7777) !== mode) {
    await chmod(where, mode).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      throw new PrivateFolderError(
        `${shown(where)} belongs to another user (uid ${stats.uid}), so it cannot be made yours alone: give a --db folder of your own`,
      );
    });
  }
  if (!folder) return;
  // A folder's entries in parallel: a warehouse holds about a thousand files.
  const entries = await readdir(where);
  await Promise.all(entries.map((name) => restrict(path.join(where, name), ownerWritable, shown)));
}
