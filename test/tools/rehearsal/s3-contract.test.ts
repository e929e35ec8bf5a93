import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSource, loadFileUri, writeLoadFile } from '../../../lambda/loader/source-listing';
import { BUCKET, startLocalServer, type LocalServer } from './local-server';

// The local S3 (tools/rehearsal/s3.ts) answers the real SDK client as S3 does: the loader's own
// listing and writes run against it unchanged.
let local: LocalServer;
beforeAll(async () => {
  local = await startLocalServer({ s3PageSize: 1 });
});
afterAll(async () => {
  await local.close();
});

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

describe('the rehearsal S3', () => {
  it('writes with PutObject (the SDK’s checksum headers and all) and lists with ListObjectsV2, a page at a time, S3’s ETags', async () => {
    await writeLoadFile(local.deps, loadFileUri(BUCKET, 'load-1', 'files.jsonl'), '{"a":1}\n', 'application/x-ndjson');
    await writeLoadFile(local.deps, loadFileUri(BUCKET, 'load-1', 'events.manifest'), '{"entries":[]}\n', 'application/json');
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await local.deps.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'loads/', ContinuationToken: token }));
      pages.push((page.Contents ?? []).map((object) => `${object.Key} ${object.Size} ${object.ETag}`));
      token = page.NextContinuationToken;
    } while (token);
    expect(pages).toEqual([
      [`loads/load-1/events.manifest 15 ${md5('{"entries":[]}\n')}`],
      [`loads/load-1/files.jsonl 8 ${md5('{"a":1}\n')}`],
    ]);
  });

  it("serves the loader's listing: every prefix, paged", async () => {
    const listing = await listSource(local.deps, {
      sourceBucket: BUCKET,
      eventsPrefix: 'data',
      songsPrefix: 'data',
      jsonpathsKey: 'data/a.json',
    });
    expect(listing.map((object) => [object.kind, object.key])).toEqual([['jsonpaths', 'data/a.json']]);
  });

  it('answers an empty page for a prefix with nothing under it, and NoSuchBucket for a bucket it does not have', async () => {
    const empty = await local.deps.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'nothing/' }));
    expect(empty.KeyCount).toBe(0);
    expect(empty.Contents).toBeUndefined();
    await expect(local.deps.s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('refuses what it does not serve, as S3 names it', async () => {
    const client = new S3Client({
      region: 'us-west-2',
      endpoint: local.server.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: '' }))).rejects.toThrow();
    expect(local.server.calls.filter((call) => call.service === 's3').map((call) => call.status)).toContain(200);
  });
});
