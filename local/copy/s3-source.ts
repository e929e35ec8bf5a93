import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { inKeyOrder } from '../../lib/rules/s3-names';
import { CopySetupError } from './copy-setup-error';

export interface S3Location {
  readonly bucket: string;
  /** The key or key prefix, without the leading slash. */
  readonly key: string;
}

/** One object found under a prefix. */
export interface S3Object {
  readonly uri: string;
  readonly key: string;
  /** Where the object lives on disk. */
  readonly path: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(uri.trim());
  if (!match) throw new CopySetupError(`'${uri}' is not an s3://bucket/key URI`);
  return { bucket: match[1] as string, key: match[2] as string };
}

/**
 * The local stand-in for S3: each bucket name maps to a folder laid out like the bucket,
 * a key being the path relative to that folder with '/' separators. The file system is asked
 * synchronously, as read-files.ts reads: listing the 14.9k song files took 146-189 ms with
 * fs.promises and 75-105 ms so, and on PGlite a single async read (the jsonpaths file) waited
 * 186-980 ms behind the engine's own file work in a 1x load.
 */
export class LocalBuckets {
  constructor(private readonly buckets: Readonly<Record<string, string>>) {}

  /** The folder standing in for the bucket of `uri`. */
  folder(uri: string): { readonly location: S3Location; readonly folder: string } {
    const location = parseS3Uri(uri);
    const folder = Object.hasOwn(this.buckets, location.bucket) ? this.buckets[location.bucket] : undefined;
    if (folder === undefined) {
      const known = Object.keys(this.buckets);
      throw new CopySetupError(
        `No local folder for bucket '${location.bucket}' (from ${uri}); known buckets: ` +
          (known.length ? known.map((name) => `'${name}'`).join(', ') : 'none') +
          '. Map the bucket to a folder laid out like it.',
      );
    }
    return { location, folder: path.resolve(folder) };
  }

  /**
   * The file of one exact key, or undefined when there is none. A folder or a dangling symbolic
   * link where the file should be is an error that says so.
   */
  async object(uri: string): Promise<S3Object | undefined> {
    const { location, folder } = this.folder(uri);
    const file = path.join(folder, ...location.key.split('/'));
    const found = { uri: `s3://${location.bucket}/${location.key}`, key: location.key, path: file };
    const info = statOrError(file);
    if (info instanceof Error) {
      if (info.code === 'ENOENT' && !isSymbolicLink(file)) return undefined;
      throw new CopySetupError(`${found.uri}: ${entryProblem(file, info)}`);
    }
    if (info.isDirectory()) {
      throw new CopySetupError(`${found.uri}: ${file} is a folder, where a file was expected. Put the file at that path or fix the URI.`);
    }
    return found;
  }

  /**
   * Every object whose key starts with the prefix of `uri`, in S3's listing order (UTF-8 byte order
   * of the keys). Like S3, 'log_data' also matches 'log_data_old/...'. None is an error worded as
   * Redshift's. The folder is walked like a listing of keys (see SourceWalk).
   */
  async list(uri: string): Promise<S3Object[]> {
    const { location, folder } = this.folder(uri);
    const info = statOrError(folder);
    if (info instanceof Error || !info.isDirectory()) {
      throw new CopySetupError(`The folder ${folder} standing in for bucket '${location.bucket}' does not exist or is not a folder.`);
    }
    const walk = new SourceWalk(folder, location);
    walk.collect('', realpathSync(folder));
    if (walk.keys.length === 0) {
      throw new CopySetupError(
        `The specified S3 prefix '${location.key}' does not exist (no file under s3://${location.bucket}/${location.key}: ` +
          `no file in ${folder} whose path there starts with '${location.key}'). ` +
          'Check the FROM URI, or that the folder is a copy of the bucket (song_data/, log_data/, ...).' +
          (walk.linksInside.length > 0
            ? ` Not followed: ${walk.linksInside.map((key) => `${key}/`).join(', ')}, linked folders that lead back into ` +
              `${folder} (S3 has no links: copy the files there instead).`
            : ''),
      );
    }
    return inKeyOrder(
      walk.keys.map((key) => ({
        uri: `s3://${location.bucket}/${key}`,
        key,
        path: path.join(folder, ...key.split('/')),
      })),
    );
  }
}

/**
 * Walks a folder as S3 keys, entering only the folders that can hold a key starting with the
 * prefix. S3 has no links: a symbolic link to a file is one object, the key of the link. A linked
 * folder inside the source folder is not followed (its files are already there under their own
 * keys); one that leads outside is followed, so a bucket copy may live on several disks. No real
 * folder is walked twice, so no loop of links repeats an object. A link to nothing, or something
 * that is neither file nor folder, stops the walk with the path and the fix.
 */
class SourceWalk {
  readonly keys: string[] = [];
  /** Keys of linked folders not followed because they lead back into the source folder. */
  readonly linksInside: string[] = [];
  private readonly entered = new Set<string>();
  private root = '';

  constructor(
    private readonly folder: string,
    private readonly location: S3Location,
  ) {}

  /** Collects the keys below `dirKey` ('' or ending in '/'), whose real path is `real`. */
  collect(dirKey: string, real: string): void {
    if (dirKey === '') this.root = real;
    this.entered.add(real);
    const dir = path.join(this.folder, ...dirKey.split('/'));
    const prefix = this.location.key;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new CopySetupError(
        `Cannot list ${dir} (the keys under s3://${this.location.bucket}/${dirKey}): ${fsReason(error)}. ` +
          'Make the folder readable by this user, or move it out of the source folder.',
      );
    }
    // Sorted, so which of two paths to one real folder is walked does not depend on the file system.
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const entry of entries) {
      const key = dirKey + entry.name;
      if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const childReal = path.join(real, entry.name);
        if (!this.entered.has(childReal)) this.collect(`${key}/`, childReal);
      } else if (entry.isFile()) {
        if (key.startsWith(prefix)) this.keys.push(key);
      } else if (entry.isSymbolicLink()) {
        this.link(key, full);
      } else {
        this.refuse(key, `${full} is not a regular file (a socket, pipe or device)`, 'Move it out of the source folder.');
      }
    }
  }

  private link(key: string, full: string): void {
    const target = statOrError(full);
    if (target instanceof Error) {
      this.refuse(key, entryProblem(full, target), '');
    } else if (target.isFile()) {
      if (key.startsWith(this.location.key)) this.keys.push(key);
    } else if (target.isDirectory()) {
      const real = realpathSync(full);
      const inside = real === this.root || real.startsWith(this.root + path.sep);
      if (inside) this.linksInside.push(key);
      else if (!this.entered.has(real)) this.collect(`${key}/`, real);
    } else {
      this.refuse(key, `${full} links to something that is not a regular file`, 'Move it out of the source folder.');
    }
  }

  private refuse(key: string, problem: string, fix: string): never {
    throw new CopySetupError(`s3://${this.location.bucket}/${key}: ${problem}.${fix ? ` ${fix}` : ''}`);
  }
}

function statOrError(file: string): Stats | NodeJS.ErrnoException {
  try {
    return statSync(file);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why `file` cannot be read, and the fix: a dangling link, a loop of links, no permission. */
function entryProblem(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT' && isSymbolicLink(file)) {
    let target = '?';
    try {
      target = readlinkSync(file);
    } catch {
      // the link went meanwhile: '?' says so
    }
    return `${file} is a symbolic link to ${target}, which does not exist. Restore the target or remove the link`;
  }
  if (error.code === 'ELOOP') return `${file} is a loop of symbolic links. Remove the link`;
  return `cannot read ${file}: ${fsReason(error)}. Make it readable by this user, or move it out of the source folder`;
}

/** A file system error in a few words, its code kept for searching. */
export function fsReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or folder',
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    ELOOP: 'a loop of symbolic links',
    EMFILE: 'too many open files',
  };
  return code && words[code] ? `${words[code]} (${code})` : message;
}
