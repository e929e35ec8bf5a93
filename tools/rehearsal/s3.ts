import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CopySetupError } from '../../local/copy/copy-setup-error';
import { LocalBuckets } from '../../local/copy/s3-source';
import { ApiError } from './api-error';

/**
 * The two S3 operations the loader calls (lambda/loader/source-listing.ts), path style, over the
 * same bucket folders the COPY emulation reads: ListObjectsV2 with paging, PutObject. ETags are S3's
 * for a single-part upload without KMS: the quoted MD5 of the bytes.
 */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export type S3Operation = 'ListObjectsV2' | 'PutObject';

export interface S3Request {
  readonly operation: S3Operation;
  readonly bucket: string;
  /** PutObject's key (decoded). */
  readonly key?: string;
  readonly params: URLSearchParams;
}

/** A path-style request's operation; anything else is S3's NotImplemented (501). */
export function s3Request(method: string, url: string): S3Request {
  const parsed = new URL(url, 'http://127.0.0.1');
  const [, bucket = '', ...rest] = parsed.pathname.split('/');
  const key = rest.map((part) => decodeURIComponent(part)).join('/');
  if (method === 'GET' && bucket !== '' && key === '' && parsed.searchParams.get('list-type') === '2') {
    return { operation: 'ListObjectsV2', bucket, params: parsed.searchParams };
  }
  if (method === 'PUT' && bucket !== '' && key !== '') return { operation: 'PutObject', bucket, key, params: parsed.searchParams };
  throw new ApiError(
    'NotImplemented',
    `The rehearsal serves only ListObjectsV2 and PutObject (path style), not ${method} ${parsed.pathname}`,
    501,
  );
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

export function s3Error(error: ApiError): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.type)}</Code><Message>${escapeXml(error.message)}</Message></Error>`;
}

/** An aws-chunked body ('<hex size>[;chunk-signature=...]\r\n<bytes>\r\n' ... '0\r\n<trailers>'), as the SDK streams a checksummed upload. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) throw new ApiError('IncompleteBody', 'an aws-chunked body ended inside a chunk header', 400);
    const size = parseInt(body.subarray(at, end).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new ApiError('InvalidRequest', 'an aws-chunked chunk size is not hexadecimal', 400);
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
}

export class LocalS3 {
  private readonly local: LocalBuckets;

  constructor(
    private readonly buckets: Readonly<Record<string, string>>,
    /** Keys per ListObjectsV2 page at most (S3: 1,000): smaller in tests, to exercise paging. */
    private readonly pageSize = 1000,
  ) {
    this.local = new LocalBuckets(buckets);
  }

  private folderOf(bucket: string): string {
    const folder = Object.hasOwn(this.buckets, bucket) ? this.buckets[bucket] : undefined;
    if (folder === undefined) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404);
    return folder;
  }

  /** The keys under a prefix in S3's order, from the continuation token (the last key of the page before, base64). */
  async listObjectsV2(bucket: string, params: URLSearchParams): Promise<string> {
    const folder = this.folderOf(bucket);
    const prefix = params.get('prefix') ?? '';
    const token = params.get('continuation-token');
    const maxKeys = Math.min(this.pageSize, Number(params.get('max-keys') ?? 1000) || 1000);
    let keys: { key: string; path: string }[];
    try {
      keys = await this.local.list(`s3://${bucket}/${prefix}`);
    } catch (error) {
      // S3 answers an empty page where the COPY emulation's listing calls no file an error.
      if (!(error instanceof CopySetupError) || !(await stat(folder).catch(() => undefined))?.isDirectory()) throw error;
      keys = [];
    }
    const after = token === null ? undefined : Buffer.from(token, 'base64').toString('utf8');
    const remaining = after === undefined ? keys : keys.filter((k) => Buffer.compare(Buffer.from(k.key), Buffer.from(after)) > 0);
    const page = remaining.slice(0, maxKeys);
    const truncated = remaining.length > page.length;
    const contents = await Promise.all(
      page.map(async ({ key, path: file }) => {
        const [bytes, info] = await Promise.all([readFile(file), stat(file)]);
        return (
          `<Contents><Key>${escapeXml(key)}</Key><LastModified>${info.mtime.toISOString()}</LastModified>` +
          `<ETag>${escapeXml(etagOf(bytes))}</ETag><Size>${bytes.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        );
      }),
    );
    const last = page[page.length - 1]?.key;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_XMLNS}">` +
      `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
      (token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '') +
      (truncated && last !== undefined ? `<NextContinuationToken>${Buffer.from(last).toString('base64')}</NextContinuationToken>` : '') +
      `${contents.join('')}</ListBucketResult>`
    );
  }

  async putObject(bucket: string, key: string, body: Buffer): Promise<string> {
    const file = path.join(this.folderOf(bucket), ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
    return etagOf(body);
  }
}

/** A single-part, non-KMS upload's ETag: the quoted MD5 of its bytes. */
export function etagOf(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}
