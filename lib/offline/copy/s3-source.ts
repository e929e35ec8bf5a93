import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
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
 * a key being the path relative to that folder with '/' separators.
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

  /** The file of one exact key, or undefined when there is none. */
  async object(uri: string): Promise<S3Object | undefined> {
    const { location, folder } = this.folder(uri);
    const file = path.join(folder, ...location.key.split('/'));
    const info = await stat(file).catch(() => undefined);
    return info?.isFile() ? { uri: `s3://${location.bucket}/${location.key}`, key: location.key, path: file } : undefined;
  }

  /**
   * Every object whose key starts with the prefix of `uri`, in S3's listing order (UTF-8 byte order
   * of the keys). Like S3, 'log_data' also matches 'log_data_old/...'. None is an error worded as
   * Redshift's.
   */
  async list(uri: string): Promise<S3Object[]> {
    const { location, folder } = this.folder(uri);
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new CopySetupError(
        `The folder ${folder} standing in for bucket '${location.bucket}' does not exist or is not a folder.`,
      );
    }
    const keys: string[] = [];
    await collect(folder, '', location.key, keys);
    if (keys.length === 0) {
      throw new CopySetupError(
        `The specified S3 prefix '${location.key}' does not exist (no file under s3://${location.bucket}/${location.key}, ` +
          `looked in ${folder}). Check the FROM URI or the local copy of the bucket.`,
      );
    }
    const ordered = keys
      .map((key) => ({ key, bytes: Buffer.from(key) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
      .map(({ key }) => key);
    return ordered.map((key) => ({
      uri: `s3://${location.bucket}/${key}`,
      key,
      path: path.join(folder, ...key.split('/')),
    }));
  }
}

/** Walks only the folders that can hold a key starting with `prefix`. */
async function collect(root: string, dirKey: string, prefix: string, keys: string[]): Promise<void> {
  const entries = await readdir(path.join(root, ...dirKey.split('/')), { withFileTypes: true });
  for (const entry of entries) {
    const key = dirKey + entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path.join(root, ...key.split('/'))).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) {
      const sub = `${key}/`;
      if (sub.startsWith(prefix) || prefix.startsWith(sub)) await collect(root, sub, prefix, keys);
    } else if (isFile && key.startsWith(prefix)) {
      keys.push(key);
    }
  }
}
