import { readFileSync } from 'node:fs';
import { CopySetupError } from './copy-setup-error';
import { fsReason, parseS3Uri, type LocalBuckets, type S3Object } from './s3-source';

/**
 * One file a COPY manifest lists. Redshift's manifest is `{"entries": [{"url": "s3://bucket/key",
 * "mandatory": true}, ...]}`: each url names the bucket and full object path, "not just a prefix";
 * `mandatory` defaults to false; "Regardless of any mandatory settings, COPY will terminate if no
 * files are found"; an UNLOAD manifest's `meta` key (`content_length`) is needed only for ORC,
 * Parquet and Spectrum: "The COPY operation requires only the url key and an optional mandatory key".
 * https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html
 * The FROM URI "must explicitly reference a single file ... It cannot reference a key prefix"; the
 * files may be in several buckets; "If a file is listed twice, the file is loaded twice"; "COPY
 * returns an error if the specified manifest file is not found or the manifest file is not
 * properly formed".
 * https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html
 */
export interface ManifestEntry {
  readonly url: string;
  readonly mandatory: boolean;
}

/** What a manifest COPY reads: the files found, in manifest order, and the optional ones skipped. */
export interface ManifestFiles {
  readonly files: readonly S3Object[];
  /** Non-mandatory entries whose file does not exist, in manifest order. */
  readonly skipped: readonly string[];
}

const ENTRY_KEYS = new Set(['url', 'mandatory', 'meta']);

/**
 * Reads the manifest at `uri` and finds each listed object by its exact key (never a prefix
 * match). A missing mandatory file, a manifest that lists no file or none that exists, and any
 * malformed manifest stop the COPY with the manifest's URI, the entry and the fix.
 */
export async function manifestFiles(uri: string, buckets: LocalBuckets, table: string): Promise<ManifestFiles> {
  const entries = await loadManifest(uri, buckets, table);
  const files: S3Object[] = [];
  const skipped: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `entry ${index + 1} of the manifest ${uri}`;
    let object: S3Object | undefined;
    try {
      object = await buckets.object(entry.url);
    } catch (error) {
      if (error instanceof CopySetupError) throw new CopySetupError(`COPY ${table}: ${where}: ${error.message}`);
      throw error;
    }
    if (object) {
      files.push(object);
    } else if (entry.mandatory) {
      const { folder, location } = buckets.folder(entry.url);
      throw new CopySetupError(
        `COPY ${table}: mandatory file ${entry.url} not found (${where}; no file '${location.key}' in ${folder}). ` +
          'A manifest url is the exact object key, never a prefix. Put the file there, fix the url, or set "mandatory": false to skip it when missing.',
      );
    } else {
      skipped.push(entry.url);
    }
  }
  if (files.length === 0) {
    throw new CopySetupError(
      `COPY ${table}: no file found: none of the ${entries.length} file(s) the manifest ${uri} lists exists ` +
        `(${entries.map((entry) => entry.url).join(', ')}). Regardless of any mandatory settings, COPY terminates if no files are found.`,
    );
  }
  return { files, skipped };
}

/** The entries of the manifest at `uri`, validated; throws CopySetupError naming the manifest and the problem. */
export async function loadManifest(uri: string, buckets: LocalBuckets, table: string): Promise<ManifestEntry[]> {
  const { location, folder } = buckets.folder(uri);
  if (location.key === '' || location.key.endsWith('/')) {
    throw new CopySetupError(
      `COPY ${table}: FROM '${uri}' with MANIFEST must name the manifest file itself, not a key prefix ` +
        "(e.g. 's3://bucket/path/to/manifest.json').",
    );
  }
  const object = await buckets.object(uri);
  if (!object) {
    throw new CopySetupError(
      `COPY ${table}: the manifest file ${uri} does not exist (looked for '${location.key}' in ${folder}). ` +
        'With MANIFEST, FROM names the manifest file exactly; put it there or fix the URI.',
    );
  }
  let text: string;
  try {
    text = readFileSync(object.path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new CopySetupError(`COPY ${table}: cannot read the manifest file ${uri} (${object.path}): ${fsReason(error)}`);
  }
  const bad = (problem: string): CopySetupError =>
    new CopySetupError(
      `COPY ${table}: the manifest file ${uri} is not properly formed: ${problem}. ` +
        'It must hold one object {"entries": [{"url": "s3://bucket/full/key", "mandatory": true}, ...]}.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const smart = /[\u201C\u201D]/.test(text) ? ' (its quotes must be plain double quotes, 0x22, not slanted "smart" quotes)' : '';
    throw bad(`it is not valid JSON${smart}: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw bad(`it holds ${describe(parsed)}, not a JSON object`);
  if (!Object.hasOwn(parsed, 'entries')) throw bad('it has no "entries" key');
  const list = parsed['entries'];
  if (!Array.isArray(list)) throw bad(`"entries" is ${describe(list)}, not an array`);
  if (list.length === 0) throw bad('"entries" is empty: it lists no file, and COPY terminates if no files are found');
  return list.map((item: unknown, index) => entry(item, index, bad));
}

function entry(item: unknown, index: number, bad: (problem: string) => CopySetupError): ManifestEntry {
  const at = `entry ${index + 1}`;
  if (!isObject(item)) throw bad(`${at} is ${describe(item)}, not an object`);
  const unknown = Object.keys(item).filter((key) => !ENTRY_KEYS.has(key));
  if (unknown.length > 0) {
    throw bad(`${at} has the key(s) ${unknown.map((key) => `"${key}"`).join(', ')}; an entry has only "url", "mandatory" and "meta"`);
  }
  const url = item['url'];
  if (typeof url !== 'string') throw bad(`${at} has ${Object.hasOwn(item, 'url') ? `a "url" that is ${describe(url)}` : 'no "url"'}`);
  const location = /^s3:\/\//i.test(url.trim()) ? parseS3Uri(url) : undefined;
  if (!location || location.key === '') {
    throw bad(`${at} has the url "${url}", which is not s3://bucket/full-object-key`);
  }
  const mandatory = Object.hasOwn(item, 'mandatory') ? item['mandatory'] : false;
  if (typeof mandatory !== 'boolean') throw bad(`${at} has "mandatory": ${JSON.stringify(mandatory)}; it takes true or false`);
  if (Object.hasOwn(item, 'meta')) {
    // Kept from UNLOAD manifests; COPY from JSON does not use it (only ORC/Parquet need content_length).
    const meta = item['meta'];
    if (!isObject(meta)) throw bad(`${at} has a "meta" that is ${describe(meta)}, not an object`);
    const length = meta['content_length'];
    if (Object.hasOwn(meta, 'content_length') && !(typeof length === 'number' && Number.isInteger(length) && length >= 0)) {
      throw bad(`${at} has "meta": {"content_length": ${JSON.stringify(length)}}; content_length is the file's size in bytes`);
    }
  }
  return { url: url.trim(), mandatory };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'string' ? 'the string' : typeof value} ${JSON.stringify(value)}`;
}
