import { mkdirSync, rmSync, statSync } from 'node:fs';
import { readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyFileProgress, type CopyResult, type CopyRunOptions } from '../../../local/copy/copy-runner';
import { CopySetupError } from '../../../local/copy/copy-setup-error';
import { serverReadableFolder } from '../../../local/copy/open-row-sink';
import { openTestEngine, serverUrl, type TestEngine } from '../../support/engine';
import { BucketFixture } from './bucket-fixture';

let db: TestEngine;
const fixture = new BucketFixture();

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.exec('CREATE TABLE numbers (n INTEGER, source VARCHAR(32))');
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

async function copy(sql: string, buckets: Record<string, string>, options: Partial<CopyRunOptions> = {}): Promise<CopyResult> {
  const command = parseCopy(sql);
  if (!command) throw new Error(`not a COPY: ${sql}`);
  return runCopy(db.engine, command, { buckets, ...options });
}

async function setupError(sql: string, buckets: Record<string, string>): Promise<string> {
  const error = await copy(sql, buckets).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CopySetupError);
  return (error as Error).message;
}

async function numbers(): Promise<unknown[]> {
  const { rows } = await db.engine.query<{ n: number }>('SELECT n FROM numbers ORDER BY n');
  return rows.map((row) => row.n);
}

const LOGS = {
  'log_data/2018/11/2018-11-02-events.json': '{"n": 2, "source": "log_data 02"}',
  'log_data/2018/11/2018-11-01-events.json': '{"n": 1, "source": "log_data 01"}',
  'log_data_old/2018-10-31-events.json': '{"n": 0, "source": "log_data_old"}',
  'song_data/A/TRA.json': '{"n": 9, "source": "song_data"}',
  'log_json_path.json': '{"jsonpaths": ["$.n", "$.source"]}',
};

describe('the S3 prefix', () => {
  it('matches every key that starts with it, log_data_old/ included, read in key order', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket(LOGS);
    const progress: CopyFileProgress[] = [];
    const result = await copy(
      "COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'",
      { 'udacity-dend': bucket },
      {
        onFile: (file) => progress.push(file),
      },
    );
    expect(progress).toEqual([
      { uri: 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json', records: 1, rejected: 0 },
      { uri: 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json', records: 1, rejected: 0 },
      { uri: 's3://udacity-dend/log_data_old/2018-10-31-events.json', records: 1, rejected: 0 },
    ]);
    expect(result).toMatchObject({ files: 3, recordsRead: 3, rowsLoaded: 3 });
    expect(await numbers()).toEqual([0, 1, 2]);
  });

  it('a prefix ending in / or naming part of a file name narrows the match', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket(LOGS);
    await copy("COPY numbers FROM 's3://udacity-dend/log_data/' JSON 'auto'", { 'udacity-dend': bucket });
    expect(await numbers()).toEqual([1, 2]);
    await copy("COPY numbers FROM 's3://udacity-dend/log_data/2018/11/2018-11-0' JSON 'auto'", { 'udacity-dend': bucket });
    expect(await numbers()).toEqual([1, 1, 2, 2]);
  });

  it('an unmatched prefix fails like Redshift, naming the prefix', async () => {
    const bucket = await fixture.bucket(LOGS);
    const message = await setupError("COPY numbers FROM 's3://udacity-dend/log_data/2019' JSON 'auto'", {
      'udacity-dend': bucket,
    });
    expect(message).toMatch(/^The specified S3 prefix 'log_data\/2019' does not exist/);
    expect(message).toContain(bucket);
  });

  it('an empty bucket folder, or one holding only empty folders, behaves the same', async () => {
    const empty = await fixture.bucket({});
    expect(await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': empty })).toMatch(
      /The specified S3 prefix 'log_data' does not exist/,
    );
    const folders = await fixture.bucket({ 'log_data/2018/11/': '', 'song_data/A/': '' });
    expect(await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': folders })).toMatch(
      /The specified S3 prefix 'log_data' does not exist/,
    );
  });

  it('an unknown bucket is named along with the known ones', async () => {
    const bucket = await fixture.bucket(LOGS);
    const message = await setupError("COPY numbers FROM 's3://other-bucket/log_data' JSON 'auto'", {
      'udacity-dend': bucket,
      'my-copy': bucket,
    });
    expect(message).toMatch(/No local folder for bucket 'other-bucket'.*known buckets: 'udacity-dend', 'my-copy'/);
  });

  it('a bucket mapped to a missing folder is reported', async () => {
    expect(await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': '/no/such/folder' })).toMatch(
      /The folder \/no\/such\/folder standing in for bucket 'udacity-dend' does not exist/,
    );
  });
});

describe('the source folder, walked like S3 keys', () => {
  const walk = (sql: string, bucket: string, seen: string[] = []) =>
    copy(sql, { 'udacity-dend': bucket }, { onFile: (file) => seen.push(file.uri.replace('s3://udacity-dend/', '')) });

  it('a symbolic link to a file is one object, read once under the key of the link', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket(LOGS);
    await symlink('2018-11-01-events.json', path.join(bucket, 'log_data/2018/11/linked-events.json'));
    await symlink('../log_data/2018/11/2018-11-02-events.json', path.join(bucket, 'song_data/to-a-log.json'));
    const seen: string[] = [];
    const result = await walk("COPY numbers FROM 's3://udacity-dend/log_data/' JSON 'auto'", bucket, seen);
    expect(seen).toEqual([
      'log_data/2018/11/2018-11-01-events.json',
      'log_data/2018/11/2018-11-02-events.json',
      'log_data/2018/11/linked-events.json',
    ]);
    expect(result).toMatchObject({ files: 3, recordsRead: 3 });
    expect(await numbers()).toEqual([1, 1, 2]);
  });

  it('a loop of folder links never repeats an object', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket(LOGS);
    await symlink('..', path.join(bucket, 'log_data/2018/11/up'));
    await symlink('.', path.join(bucket, 'log_data/2018/here'));
    await symlink(bucket, path.join(bucket, 'log_data/root'));
    // And a loop through a folder outside the bucket folder: followed once, the way back is not.
    const outside = await fixture.bucket({ 'log_data_ext/2018-12-01-events.json': '{"n": 3, "source": "outside"}' });
    await symlink(bucket, path.join(outside, 'log_data_ext/back'));
    await symlink(path.join(outside, 'log_data_ext'), path.join(bucket, 'log_data_ext'));
    await symlink(path.join(outside, 'log_data_ext'), path.join(bucket, 'log_data_ext_again'));
    const seen: string[] = [];
    const result = await walk("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", bucket, seen);
    expect(seen).toEqual([
      'log_data/2018/11/2018-11-01-events.json',
      'log_data/2018/11/2018-11-02-events.json',
      'log_data_ext/2018-12-01-events.json',
      'log_data_old/2018-10-31-events.json',
    ]);
    expect(result).toMatchObject({ files: 4, recordsRead: 4, rowsLoaded: 4 });
    expect(await numbers()).toEqual([0, 1, 2, 3]);
  });

  it('a prefix found only behind a link back into the bucket folder says so', async () => {
    const bucket = await fixture.bucket({ 'raw/logs/a.json': '{"n": 1}' });
    await symlink(path.join(bucket, 'raw/logs'), path.join(bucket, 'log_data'));
    const message = await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': bucket });
    expect(message).toMatch(/^The specified S3 prefix 'log_data' does not exist/);
    expect(message).toContain(`Not followed: log_data/, linked folders that lead back into ${bucket}`);
  });

  it('a link to nothing, or a loop of links, is an error naming the link, its target and the fix', async () => {
    const bucket = await fixture.bucket(LOGS);
    await symlink('gone.json', path.join(bucket, 'log_data/2018/11/dangling.json'));
    expect(await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': bucket })).toBe(
      `s3://udacity-dend/log_data/2018/11/dangling.json: ${bucket}/log_data/2018/11/dangling.json is a symbolic link to ` +
        'gone.json, which does not exist. Restore the target or remove the link.',
    );
    // The same link outside the prefix is not part of the listing, so it is no error.
    await copy("COPY numbers FROM 's3://udacity-dend/song_data' JSON 'auto'", { 'udacity-dend': bucket });
    const loop = await fixture.bucket(LOGS);
    await symlink('b.json', path.join(loop, 'log_data/a.json'));
    await symlink('a.json', path.join(loop, 'log_data/b.json'));
    expect(await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': loop })).toMatch(
      /^s3:\/\/udacity-dend\/log_data\/a\.json: .*a\.json is a loop of symbolic links\. Remove the link\.$/,
    );
  });

  it('a file that cannot be read when its turn comes is an error naming it and the fix', async () => {
    const bucket = await fixture.bucket(LOGS);
    const second = path.join(bucket, 'log_data/2018/11/2018-11-02-events.json');
    // Between the listing and the read, the second file becomes a folder.
    const message = await copy(
      "COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'",
      { 'udacity-dend': bucket },
      {
        onFile: () => {
          if (statSync(second).isFile()) {
            rmSync(second);
            mkdirSync(second);
          }
        },
      },
    ).then(
      () => 'loaded',
      (error: unknown) => (error instanceof CopySetupError ? error.message : String(error)),
    );
    expect(message).toBe(
      `Cannot read the source file ${second}: it is a folder, not a file (EISDIR). ` +
        'Make it readable by this user, or move it out of the source folder.',
    );
  });
});

describe('the jsonpaths file', () => {
  it('a missing file is an error naming the URI and the fix, not a rejected row', async () => {
    const bucket = await fixture.bucket(LOGS);
    const message = await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 's3://udacity-dend/missing_paths.json'", {
      'udacity-dend': bucket,
    });
    expect(message).toMatch(/the jsonpaths file s3:\/\/udacity-dend\/missing_paths\.json does not exist/);
    expect(message).toMatch(/Put the file there or fix the URI/);
  });

  it('a count that differs from the columns is an error with both numbers', async () => {
    const bucket = await fixture.bucket({ ...LOGS, 'three.json': '{"jsonpaths": ["$.n", "$.source", "$.extra"]}' });
    const message = await setupError("COPY numbers FROM 's3://udacity-dend/log_data' JSON 's3://udacity-dend/three.json'", {
      'udacity-dend': bucket,
    });
    expect(message).toMatch(
      /Number of jsonpaths and the number of columns should match\. JSONPath size: 3, Number of columns in table or column list: 2/,
    );
    expect(message).toMatch(/Fix s3:\/\/udacity-dend\/three\.json .*n, source/);
  });

  it('a file that is not JSON, has no "jsonpaths" array, or holds a path it cannot follow is an error', async () => {
    const bucket = await fixture.bucket({
      ...LOGS,
      'broken.json': '{"jsonpaths": ["$.n",',
      'not-a-list.json': '{"jsonpaths": "$.n"}',
      'two-names.json': '{"paths": ["$.n"], "more": ["$.source"]}',
      'empty.json': '{}',
      'array.json': '["$.n", "$.source"]',
      'wildcard.json': '{"jsonpaths": ["$.n", "$.items[*]"]}',
      'a-folder.json/': '',
    });
    const run = (file: string) =>
      setupError(`COPY numbers FROM 's3://udacity-dend/log_data' JSON 's3://udacity-dend/${file}'`, { 'udacity-dend': bucket });
    expect(await run('broken.json')).toMatch(/jsonpaths file s3:\/\/udacity-dend\/broken\.json is not valid JSON/);
    for (const file of ['not-a-list.json', 'two-names.json', 'empty.json', 'array.json']) {
      expect(await run(file)).toMatch(/has no "jsonpaths" array of strings\. Fix .* \{"jsonpaths"/);
    }
    expect(await run('wildcard.json')).toMatch(/Invalid JSONPath format in .*wildcard\.json, entry 2 "\$\.items\[\*\]"/);
    expect(await run('a-folder.json')).toMatch(
      /^s3:\/\/udacity-dend\/a-folder\.json: .*a-folder\.json is a folder, where a file was expected/,
    );
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html: "If the name
  // is any string other than "jsonpaths", COPY uses the 'auto' argument instead of using the JSONPaths file."
  it('an object whose one name is not "jsonpaths" is ignored: COPY loads as with \'auto\'', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket({
      // As paths these would load N into n, and their count (1) would not match the 2 columns.
      'log_data/one.json': '{"N": 5, "n": 1, "source": "auto"}',
      'renamed.json': '{"paths": ["$.N"]}',
      'capitalised.json': '{"Jsonpaths": ["$.N"]}',
    });
    for (const file of ['renamed.json', 'capitalised.json']) {
      const result = await copy(`COPY numbers FROM 's3://udacity-dend/log_data' JSON 's3://udacity-dend/${file}'`, {
        'udacity-dend': bucket,
      });
      expect(result).toMatchObject({ rowsLoaded: 1, rejected: [] });
    }
    expect((await db.engine.query('SELECT n, source FROM numbers')).rows).toEqual([
      { n: 1, source: 'auto' },
      { n: 1, source: 'auto' },
    ]);
  });
});

describe('the target table', () => {
  it('a table that does not exist, an unknown column or an unsupported column type stops the COPY', async () => {
    const bucket = await fixture.bucket(LOGS);
    const buckets = { 'udacity-dend': bucket };
    expect(await setupError("COPY no_such_table FROM 's3://udacity-dend/log_data' JSON 'auto'", buckets)).toBe(
      'Cannot COPY into nonexistent table no_such_table',
    );
    expect(await setupError("COPY numbers (n, nope) FROM 's3://udacity-dend/log_data' JSON 'auto'", buckets)).toMatch(
      /column "nope" of relation "numbers" does not exist/,
    );
    await db.engine.exec('CREATE TABLE odd_types (n INTEGER, span INTERVAL)');
    expect(await setupError("COPY odd_types FROM 's3://udacity-dend/log_data' JSON 'auto'", buckets)).toMatch(
      /column "span" has type interval, which the COPY emulation does not load/,
    );
  });

  it('loads a schema-qualified table', async () => {
    await db.engine.exec('CREATE SCHEMA staging; CREATE TABLE staging.numbers (n INTEGER, source VARCHAR(32))');
    const bucket = await fixture.bucket(LOGS);
    await copy("COPY staging.numbers FROM 's3://udacity-dend/song_data' JSON 'auto'", { 'udacity-dend': bucket });
    expect((await db.engine.query('SELECT n, source FROM staging.numbers')).rows).toEqual([{ n: 9, source: 'song_data' }]);
  });
});

describe("the caller's transaction", () => {
  it('stays open: a rollback after the COPY undoes it, and pg_last_copy_count has its rows until then', async () => {
    await db.engine.exec('DELETE FROM numbers');
    const bucket = await fixture.bucket(LOGS);
    await db.engine.exec('BEGIN');
    try {
      const result = await copy("COPY numbers FROM 's3://udacity-dend/log_data' FORMAT AS JSON 's3://udacity-dend/log_json_path.json'", {
        'udacity-dend': bucket,
      });
      expect(result.rowsLoaded).toBe(3);
      const { rows } = await db.engine.query("SELECT current_setting('sparkify.last_copy_count', true) AS n");
      expect(rows).toEqual([{ n: '3' }]);
      expect(await numbers()).toEqual([0, 1, 2]);
    } finally {
      await db.engine.exec('ROLLBACK');
    }
    expect(await numbers()).toEqual([]);
  });

  it.skipIf(serverUrl)('on PGlite, loads through a binary file in the data folder and leaves no file behind', async () => {
    expect(await serverReadableFolder(db.engine)).toMatchObject({ local: db.engine.location, server: '/pglite/data' });
    const bucket = await fixture.bucket(LOGS);
    const before = await readdir(db.engine.location);
    await copy("COPY numbers FROM 's3://udacity-dend/log_data' JSON 'auto'", { 'udacity-dend': bucket });
    expect(await readdir(db.engine.location)).toEqual(before);
    expect(await numbers()).toEqual([0, 1, 2]);
  });
});
