import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { LocalBuckets } from '../../local/copy/s3-source';
import { listSources } from '../../local/source-listing';

let root: string;
const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
const list = () => listSources(new LocalBuckets({ [DEFAULT_CONFIG.sourceBucket]: root }), DEFAULT_CONFIG);

async function put(key: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, key)), { recursive: true });
  await writeFile(path.join(root, key), text);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sparkify-listing-'));
  await put('log_data/2018/11/2018-11-02-events.json', '{"a":2}');
  await put('log_data/2018/11/2018-11-01-events.json', '{"a":1}');
  await put('log_data_old/x.json', '{"old":1}');
  await put('song_data/A/TRA.json', '{"song_id":"S"}');
  await put('log_json_path.json', '{"jsonpaths":[]}');
  await put('generator.json', '{}');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listSources (ListObjectsV2, offline)', () => {
  it('lists both prefixes (as S3 matches them) and the jsonpaths object, in key order, with size and the MD5 ETag', async () => {
    expect(await list()).toEqual([
      { kind: 'events', key: 'log_data/2018/11/2018-11-01-events.json', size: 7, etag: md5('{"a":1}') },
      { kind: 'events', key: 'log_data/2018/11/2018-11-02-events.json', size: 7, etag: md5('{"a":2}') },
      { kind: 'events', key: 'log_data_old/x.json', size: 9, etag: md5('{"old":1}') },
      { kind: 'jsonpaths', key: 'log_json_path.json', size: 16, etag: md5('{"jsonpaths":[]}') },
      { kind: 'songs', key: 'song_data/A/TRA.json', size: 15, etag: md5('{"song_id":"S"}') },
    ]);
  });

  it('gives the same answer from its cache, and a new ETag for a file rewritten with the same size and its old modification time', async () => {
    const first = await list();
    expect(await list()).toEqual(first);
    const file = path.join(root, 'log_data/2018/11/2018-11-01-events.json');
    const { atime, mtime } = await stat(file);
    await writeFile(file, '{"a":9}');
    await utimes(file, atime, mtime); // as cp -p or rsync -a leave it
    const changed = (await list()).find((object) => object.key.endsWith('2018-11-01-events.json'));
    expect(changed).toEqual({ kind: 'events', key: 'log_data/2018/11/2018-11-01-events.json', size: 7, etag: md5('{"a":9}') });
  });
});
