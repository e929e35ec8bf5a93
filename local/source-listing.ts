import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { sourceUris } from '../lib/config/warehouse-config';
import type { PlanSettings } from '../lib/plan/load-plan';
import { sourceKind, type SourceObject } from '../lib/plan/source-diff';
import { inKeyOrder } from '../lib/rules/s3-names';
import { CopySetupError } from './copy/copy-setup-error';
import { fsReason, type LocalBuckets, type S3Object } from './copy/s3-source';

/**
 * The source as S3's ListObjectsV2 would show it, offline: every object under the events and songs
 * prefixes and the jsonpaths object, in key order, with its size and an ETag as S3 gives a
 * single-part, unencrypted upload (the MD5 of the bytes, in double quotes). MD5s are cached (see
 * EtagCache), so a reload hashes only what changed: hashing the 100x dataset's 385 MB takes 0.7 s.
 */
export async function listSources(
  buckets: LocalBuckets,
  settings: PlanSettings,
  /** false: read the cache but write nothing (`sparkify plan` touches no file). */
  { saveCache = true }: { readonly saveCache?: boolean } = {},
): Promise<SourceObject[]> {
  const uris = sourceUris(settings);
  const jsonpaths = await buckets.object(uris.jsonpaths);
  const objects = [...(await buckets.list(uris.events)), ...(await buckets.list(uris.songs)), ...(jsonpaths ? [jsonpaths] : [])];
  const unique = inKeyOrder([...new Map(objects.map((object) => [object.key, object])).values()]);
  const cache = EtagCache.open(buckets.folder(uris.events).folder);
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
  // Synchronous reads, as the COPY emulation reads (local/copy/read-files.ts): hashing every file of
  // the 100x dataset took 712 ms so, 1,478 ms through 16 streams in flight.
  for (const { object, id } of listed.filter((item) => cache.get(item.id) === undefined)) {
    let digest: string;
    try {
      digest = createHash('md5').update(readFileSync(object.path)).digest('hex');
    } catch (error) {
      throw unreadable(object, error);
    }
    cache.set(id, `"${digest}"`);
  }
  if (saveCache) cache.save();
  return listed.map(({ object, kind, size, id }) => ({ kind, key: object.key, size, etag: cache.get(id) as string }));
}

/** A file of the listing that cannot be read, named with its object and the fix, as the COPY emulation words it. */
function unreadable(object: S3Object, error: unknown): CopySetupError {
  return new CopySetupError(
    `${object.uri}: cannot read ${object.path}: ${fsReason(error)}. Make it readable by this user, or move it out of the source folder`,
  );
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

  // Synchronous: on PGlite an asynchronous read can wait behind the engine's own use of Node's
  // thread pool (the COPY's jsonpaths read waited up to 980 ms until it was made synchronous).
  static open(sourceFolder: string): EtagCache {
    const name = createHash('sha256').update(path.resolve(sourceFolder)).digest('hex').slice(0, 16);
    const file = path.join(cacheFolder(), `${name}.json`);
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch {
      saved = undefined;
    }
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
  save(): void {
    if (!this.dirty && this.used.size === this.entries.size) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.used)), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing more to undo: the cache is best effort
      }
    }
  }
}
