import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { PlanSettings } from '../../lib/plan/load-plan';
import { sourceKind, type SourceObject } from '../../lib/plan/source-diff';
import { LOAD_FILES_PREFIX, inKeyOrder } from '../../lib/rules/s3-names';
import { withRetry } from './data-api';
import type { LoaderDeps } from './types';

/** At most this many ListObjectsV2 pages per prefix (1,000 keys a page): a runaway listing stops, named. */
export const MAX_LISTING_PAGES = 1000;

/**
 * Every source object a load reads: the keys under the events and songs prefixes and the jsonpaths
 * object, with Size and ETag, in S3's order (ascending UTF-8 bytes). ListObjectsV2 returns up to
 * 1,000 keys a call and a NextContinuationToken while IsTruncated
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). Each Prefix is exactly
 * a configured one, as the role's s3:prefix condition allows; a key is classified by sourceKind
 * (COPY's prefix rule), so overlapping prefixes never list a key twice.
 */
export async function listSource(
  deps: Pick<LoaderDeps, 's3' | 'retry' | 'sleep' | 'log'>,
  settings: Pick<PlanSettings, 'sourceBucket' | 'eventsPrefix' | 'songsPrefix' | 'jsonpathsKey'>,
): Promise<SourceObject[]> {
  const found = new Map<string, SourceObject>();
  for (const prefix of new Set([settings.eventsPrefix, settings.songsPrefix, settings.jsonpathsKey])) {
    let token: string | undefined;
    let pages = 0;
    do {
      if (++pages > MAX_LISTING_PAGES) {
        throw new Error(
          `listing s3://${settings.sourceBucket}/${prefix} took more than ${MAX_LISTING_PAGES} pages of 1,000 keys: check the prefix (a prefix matches every key that starts with it)`,
        );
      }
      const page = await withRetry(deps, 'ListObjectsV2', () =>
        deps.s3.send(
          new ListObjectsV2Command({ Bucket: settings.sourceBucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        const kind = key === undefined ? undefined : sourceKind(settings, key);
        // The jsonpaths "prefix" also lists its neighbours (log_json_path.json.bak): only the key itself counts.
        if (key === undefined || kind === undefined || found.has(key)) continue;
        if (object.Size === undefined || object.ETag === undefined) {
          throw new Error(`ListObjectsV2 gave s3://${settings.sourceBucket}/${key} without ${object.Size === undefined ? 'Size' : 'ETag'}`);
        }
        found.set(key, { kind, key, size: object.Size, etag: object.ETag });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token)
        throw new Error(`ListObjectsV2 of s3://${settings.sourceBucket}/${prefix} was truncated without a continuation token`);
    } while (token);
  }
  return inKeyOrder([...found.values()]);
}

/** The S3 URI of one of a load's files in the LoadManifests bucket. */
export function loadFileUri(bucket: string, loadId: string, name: 'events.manifest' | 'files.jsonl'): string {
  return `s3://${bucket}/${LOAD_FILES_PREFIX}${loadId}/${name}`;
}

/** Writes a load's files before its batch is submitted; COPY reads them in the load's transaction. */
export async function writeLoadFile(
  deps: Pick<LoaderDeps, 's3' | 'retry' | 'sleep' | 'log'>,
  uri: string,
  body: string,
  contentType: string,
): Promise<void> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an s3://bucket/key URI: ${uri}`);
  const [, bucket, key] = match;
  await withRetry(deps, 'PutObject', () =>
    deps.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })),
  );
}
