import { createHash } from 'node:crypto';
import { createReadStream, statSync, type BigIntStats } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { sourceUris } from '../lib/config/warehouse-config';
import type { PlanSettings } from '../lib/plan/load-plan';
import { sourceKind, type SourceObject } from '../lib/plan/source-diff';
import { CopySetupError } from './copy/copy-setup-error';
import { fsReason, type LocalBuckets, type S3Object } from './copy/s3-source';

/** Hashes at once: enough to keep the disk busy without opening thousands of files together. */
const PARALLEL_HASHES = 16;

/**
 * The source as S3's ListObjectsV2 would show it, offline: every object under the events and songs
 * prefixes and the jsonpaths object, in key order, with its size and an ETag as S3 gives a
 * single-part, unencrypted upload (the MD5 of the bytes, in double quotes). MD5s are cached (see
 * EtagCache), so a reload hashes only what changed (the 100x dataset's
 * 385 MB would cost most of a second each time).
 */
export async function listSources(buckets: LocalBuckets, settings: PlanSettings): Promise<SourceObject[]> {
  const uris = sourceUris(settings);
  const jsonpaths = await buckets.object(uris.jsonpaths);
  const objects = [...(await buckets.list(uris.events)), ...(await buckets.list(uris.songs)), ...(jsonpaths ? [jsonpaths] : [])];
  const unique = inKeyOrder([...new Map(objects.map((object) => [object.key, object])).values()]);
  const cache = await EtagCache.open(buckets.folder(uris.events).folder);
  // Synchronous stats: at the real bucket's 15k files, a promise each cost three times as much.
  const listed = unique.map((object) => {
    const kind = sourceKind(settings, object.key);
    if (!kind) throw new Error(`${object.uri} was listed under no source prefix`);
    let info: BigIntStats;
    try {
      info = statSync(object.path, { bigint: true });
    } catch (error) {
      throw unreadable(object, error);
    }
    // ctime and the inode too: a copy that keeps the size and sets the old mtime (cp -p, rsync -a,
    // touch -r) still gets a new ctime, which no program can set back.
    const id = [object.key, info.size, info.mtimeNs, info.ctimeNs, info.ino].join('\0');
    return { object, kind, size: Number(info.size), id };
  });
  const missing = listed.filter(({ id }) => cache.get(id) === undefined);
  let next = 0;
  const hash = async () => {
    for (let item = missing[next++]; item; item = missing[next++]) {
      const { object } = item;
      const digest = await md5(object.path).catch((error: unknown) => {
        throw unreadable(object, error);
      });
      cache.set(item.id, `"${digest}"`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_HASHES }, hash));
  await cache.save();
  return listed.map(({ object, kind, size, id }) => ({ kind, key: object.key, size, etag: cache.get(id) as string }));
}

/** S3 lists keys in UTF-8 byte order (each key encoded once, not once per comparison). */
function inKeyOrder<T extends { readonly key: string }>(objects: readonly T[]): T[] {
  return objects
    .map((object) => ({ object, bytes: Buffer.from(object.key) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ object }) => object);
}

/** A file of the listing that cannot be read, named with its object and the fix, as the COPY emulation words it. */
function unreadable(object: S3Object, error: unknown): CopySetupError {
  return new CopySetupError(
    `${object.uri}: cannot read ${object.path}: ${fsReason(error)}. Make it readable by this user, or move it out of the source folder`,
  );
}

function md5(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * The user's own cache folder (XDG_CACHE_HOME, else ~/.cache): not the shared temporary folder, where
 * another user could plant ETags that hide a changed file.
 */
function cacheFolder(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'sparkify', 'etags');
}

/**
 * MD5s of a source folder's files by key, size, modification and change times and inode, in the user's cache folder (a cache: losing it costs only
 * time). Written whole to a temporary file and renamed, so two loads never leave half a file.
 */
class EtagCache {
  private dirty = false;
  /** What this listing used: only these are saved, so files that changed or went leave the cache. */
  private readonly used = new Map<string, string>();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, string>,
  ) {}

  static async open(sourceFolder: string): Promise<EtagCache> {
    const name = createHash('sha256').update(path.resolve(sourceFolder)).digest('hex').slice(0, 16);
    const file = path.join(cacheFolder(), `${name}.json`);
    const saved = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => undefined);
    const entries = saved && typeof saved === 'object' && !Array.isArray(saved) ? Object.entries(saved) : [];
    return new EtagCache(file, new Map(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string')));
  }

  get(id: string): string | undefined {
    const etag = this.entries.get(id);
    if (etag !== undefined) this.used.set(id, etag);
    return etag;
  }

  set(id: string, etag: string): string {
    this.entries.set(id, etag);
    this.used.set(id, etag);
    this.dirty = true;
    return etag;
  }

  /** Best effort: a cache folder that cannot be written costs the next load its hashing, never the load. */
  async save(): Promise<void> {
    if (!this.dirty && this.used.size === this.entries.size) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFile(temporary, JSON.stringify(Object.fromEntries(this.used)), { mode: 0o600 });
      await rename(temporary, this.file);
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}
