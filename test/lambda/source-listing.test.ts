import { ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MAX_LISTING_PAGES, listSource, loadFileUri, writeLoadFile } from '../../lambda/loader/source-listing';
import { SETTINGS, fakeAws, throttling } from '../../tools/fake-aws';

const object = (Key: string, Size = 10, ETag = `"${Key.length.toString(16).padStart(32, '0')}"`) => ({ Key, Size, ETag });

describe('listSource (ListObjectsV2)', () => {
  it('lists each prefix and the jsonpaths key, page by page on NextContinuationToken, keeping Key, Size and ETag', async () => {
    const aws = fakeAws();
    aws.mocks.s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      if (input.Prefix === 'log_data') {
        return input.ContinuationToken === 'page-2'
          ? { Contents: [object('log_data/2018/11/2018-11-02-events.json')], IsTruncated: false }
          : {
              Contents: [object('log_data/2018/11/2018-11-01-events.json', 123, '"abc"')],
              IsTruncated: true,
              NextContinuationToken: 'page-2',
            };
      }
      if (input.Prefix === 'song_data') return { Contents: [object('song_data/A/A/A/TRAAAAW128F429D538.json')], IsTruncated: false };
      // The jsonpaths key as a prefix also finds its neighbours: only the key itself is a source.
      return { Contents: [object('log_json_path.json', 7, '"j"'), object('log_json_path.json.bak')], IsTruncated: false };
    });
    const listing = await listSource(aws.deps, SETTINGS);
    expect(listing).toEqual([
      { kind: 'events', key: 'log_data/2018/11/2018-11-01-events.json', size: 123, etag: '"abc"' },
      { kind: 'events', key: 'log_data/2018/11/2018-11-02-events.json', size: 10, etag: expect.any(String) },
      { kind: 'jsonpaths', key: 'log_json_path.json', size: 7, etag: '"j"' },
      { kind: 'songs', key: 'song_data/A/A/A/TRAAAAW128F429D538.json', size: 10, etag: expect.any(String) },
    ]);
    const calls = aws.mocks.s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    // Exactly the prefixes the role's s3:prefix condition allows, on the source bucket.
    expect(calls.map((input) => [input.Bucket, input.Prefix, input.ContinuationToken])).toEqual([
      ['udacity-dend', 'log_data', undefined],
      ['udacity-dend', 'log_data', 'page-2'],
      ['udacity-dend', 'song_data', undefined],
      ['udacity-dend', 'log_json_path.json', undefined],
    ]);
  });

  it('classifies by COPY’s prefix rule and never lists a key twice when prefixes overlap', async () => {
    const aws = fakeAws();
    aws.mocks.s3
      .on(ListObjectsV2Command)
      .resolves({ Contents: [object('data/events-1.json'), object('data/paths.json'), object('data_old/x.json')], IsTruncated: false });
    const listing = await listSource(aws.deps, { ...SETTINGS, eventsPrefix: 'data', songsPrefix: 'data', jsonpathsKey: 'data/paths.json' });
    expect(listing.map((o) => [o.kind, o.key])).toEqual([
      ['events', 'data/events-1.json'],
      ['jsonpaths', 'data/paths.json'],
      // 'data' matches 'data_old/' too, as COPY's prefix does (SPEC §2).
      ['events', 'data_old/x.json'],
    ]);
    expect(aws.mocks.s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it("orders keys as S3 does (UTF-8 bytes), not by JavaScript's UTF-16 order", async () => {
    const aws = fakeAws();
    aws.mocks.s3.on(ListObjectsV2Command, { Prefix: 'log_data' }).resolves({
      Contents: [object('log_data/\u{1F600}.json'), object('log_data/\uFF5E.json')],
      IsTruncated: false,
    });
    aws.mocks.s3.on(ListObjectsV2Command, { Prefix: 'song_data' }).resolves({ IsTruncated: false });
    aws.mocks.s3.on(ListObjectsV2Command, { Prefix: 'log_json_path.json' }).resolves({ IsTruncated: false });
    const keys = (await listSource(aws.deps, SETTINGS)).map((o) => o.key);
    // U+FF5E is EF BD 9E in UTF-8, U+1F600 is F0 9F 98 80: the full-width tilde comes first.
    expect(keys).toEqual(['log_data/\uFF5E.json', 'log_data/\u{1F600}.json']);
  });

  it('retries throttling, and names an object the listing gave without an ETag', async () => {
    const aws = fakeAws();
    aws.mocks.s3
      .on(ListObjectsV2Command)
      .rejectsOnce(throttling())
      .resolves({ Contents: [object('log_data/a.json')], IsTruncated: false });
    expect(await listSource(aws.deps, SETTINGS)).toHaveLength(1);
    expect(aws.logs.some((line) => line.message === 'retry' && line.attributes.call === 'ListObjectsV2')).toBe(true);

    const broken = fakeAws();
    broken.mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'log_data/a.json', Size: 1 }], IsTruncated: false });
    await expect(listSource(broken.deps, SETTINGS)).rejects.toThrow('ListObjectsV2 gave s3://udacity-dend/log_data/a.json without ETag');
  });

  it('stops a runaway listing, naming the prefix', async () => {
    const aws = fakeAws();
    aws.mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: true, NextContinuationToken: 'again' });
    await expect(listSource(aws.deps, SETTINGS)).rejects.toThrow(
      `listing s3://udacity-dend/log_data took more than ${MAX_LISTING_PAGES} pages`,
    );
  });
});

describe("a load's files", () => {
  it('go to loads/<load id>/ of the LoadManifests bucket, by PutObject', async () => {
    const aws = fakeAws();
    aws.mocks.s3.on(PutObjectCommand).resolves({});
    const uri = loadFileUri('sparkify-loadmanifests-abc', 'scheduled-2026-12-01T01:15:00Z', 'events.manifest');
    expect(uri).toBe('s3://sparkify-loadmanifests-abc/loads/scheduled-2026-12-01T01:15:00Z/events.manifest');
    await writeLoadFile(aws.deps, uri, '{"entries":[]}\n', 'application/json');
    expect(aws.mocks.s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'sparkify-loadmanifests-abc',
      Key: 'loads/scheduled-2026-12-01T01:15:00Z/events.manifest',
      Body: '{"entries":[]}\n',
      ContentType: 'application/json',
    });
  });
});
