import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyFileProgress, type CopyResult, type CopyRunOptions } from '../../../local/copy/copy-runner';
import { CopySetupError } from '../../../local/copy/copy-setup-error';
import { CopyError } from '../../../local/copy/load-error';
import { checkRedshiftSql, loadRedshiftGate } from '../../../local/redshift-gate/gate';
import { openTestEngine, type TestEngine } from '../../support/engine';
import { BucketFixture, ndjson } from './bucket-fixture';

// The rules tested here are Redshift's, from "Using a manifest to specify data files"
// (https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html) and the
// MANIFEST parameter of "COPY from Amazon S3"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source-s3.html).

let db: TestEngine;
const fixture = new BucketFixture();

beforeAll(async () => {
  await loadRedshiftGate();
  db = await openTestEngine();
  await db.engine.exec('CREATE TABLE numbers (n INTEGER, source VARCHAR(32))');
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

const ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/sparkify-read'";
const COPY_SQL = `COPY numbers FROM 's3://load-files/loads/1/events.manifest' ${ROLE} FORMAT AS JSON 'auto' MANIFEST`;

const LOGS = {
  'log_data/2018/11/2018-11-01-events.json': '{"n": 1, "source": "01"}',
  'log_data/2018/11/2018-11-02-events.json': '{"n": 2, "source": "02"}',
  'log_data/2018/11/2018-11-03-events.json': '{"n": 3, "source": "03"}',
  'log_data/2018/11/2018-11-03-events.json.bak': '{"n": 30, "source": "03 backup"}',
};

function manifest(entries: readonly unknown[]): string {
  return JSON.stringify({ entries });
}

/** A source bucket with LOGS and a manifest bucket holding `text` at loads/1/events.manifest. */
async function buckets(text: string, logs: Record<string, string> = LOGS): Promise<Record<string, string>> {
  return {
    'udacity-dend': await fixture.bucket(logs),
    'load-files': await fixture.bucket({ 'loads/1/events.manifest': text }),
  };
}

async function copy(sql: string, where: Record<string, string>, options: Partial<CopyRunOptions> = {}): Promise<CopyResult> {
  await db.engine.exec('DELETE FROM numbers');
  const command = parseCopy(sql);
  if (!command) throw new Error(`not a COPY: ${sql}`);
  return runCopy(db.engine, command, { buckets: where, ...options });
}

async function failure(sql: string, where: Record<string, string>): Promise<string> {
  const error = await copy(sql, where).then(
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

const url = (key: string) => `s3://udacity-dend/${key}`;

describe('COPY ... MANIFEST', () => {
  it('parses MANIFEST among the other options; without it FROM is a prefix', () => {
    expect(parseCopy(COPY_SQL)).toMatchObject({ manifest: true, from: 's3://load-files/loads/1/events.manifest' });
    expect(parseCopy(`COPY numbers FROM 's3://b/m' manifest json 'auto' MAXERROR 2`)).toMatchObject({ manifest: true, maxError: 2 });
    expect(parseCopy(`COPY numbers FROM 's3://b/p' JSON 'auto'`)?.manifest).toBe(false);
    expect(() => parseCopy(`COPY numbers FROM 's3://b/m' JSON 'auto' MANIFEST MANIFEST`)).toThrow(/MANIFEST is given more than once/);
  });

  it('loads exactly the listed files, in manifest order, reporting each one', async () => {
    const where = await buckets(
      manifest([
        { url: url('log_data/2018/11/2018-11-03-events.json'), mandatory: true },
        { url: url('log_data/2018/11/2018-11-01-events.json'), mandatory: true },
      ]),
    );
    const progress: CopyFileProgress[] = [];
    const result = await copy(COPY_SQL, where, { onFile: (file) => progress.push(file) });
    expect(progress).toEqual([
      { uri: url('log_data/2018/11/2018-11-03-events.json'), records: 1, rejected: 0 },
      { uri: url('log_data/2018/11/2018-11-01-events.json'), records: 1, rejected: 0 },
    ]);
    expect(result).toEqual({ table: 'numbers', files: 2, recordsRead: 2, rowsLoaded: 2, rejected: [], skipped: [] });
    expect(await numbers()).toEqual([1, 3]);
  });

  it('matches a url exactly: a url that is a prefix of other keys loads only its own object', async () => {
    // As a prefix COPY, 'log_data/2018/11/2018-11-03-events.json' would also load the .bak file.
    const where = await buckets(manifest([{ url: url('log_data/2018/11/2018-11-03-events.json'), mandatory: true }]));
    expect(await copy(COPY_SQL, where)).toMatchObject({ files: 1, rowsLoaded: 1 });
    expect(await numbers()).toEqual([3]);
    const prefixOnly = await buckets(manifest([{ url: url('log_data/2018/11/2018-11-0'), mandatory: true }]));
    expect(await failure(COPY_SQL, prefixOnly)).toMatch(/mandatory file s3:\/\/udacity-dend\/log_data\/2018\/11\/2018-11-0 not found/);
  });

  it('loads files from several buckets, and a file listed twice twice', async () => {
    const other = await fixture.bucket({ 'extra/one.json': '{"n": 7, "source": "other bucket"}' });
    const where = {
      ...(await buckets(
        manifest([
          { url: url('log_data/2018/11/2018-11-02-events.json') },
          { url: 's3://other-bucket/extra/one.json', mandatory: true },
          { url: url('log_data/2018/11/2018-11-02-events.json') },
        ]),
      )),
      'other-bucket': other,
    };
    expect(await copy(COPY_SQL, where)).toMatchObject({ files: 3, rowsLoaded: 3 });
    expect(await numbers()).toEqual([2, 2, 7]);
  });

  it('fails when a mandatory file is missing, naming the file and the manifest, and loads nothing', async () => {
    const where = await buckets(
      manifest([
        { url: url('log_data/2018/11/2018-11-01-events.json'), mandatory: true },
        { url: url('log_data/2018/11/2018-11-04-events.json'), mandatory: true },
      ]),
    );
    const message = await failure(COPY_SQL, where);
    expect(message).toMatch(
      /^COPY numbers: mandatory file s3:\/\/udacity-dend\/log_data\/2018\/11\/2018-11-04-events\.json not found \(entry 2 of the manifest s3:\/\/load-files\/loads\/1\/events\.manifest;/,
    );
    expect(message).toContain(where['udacity-dend']);
    expect(await numbers()).toEqual([]);
  });

  it('skips a missing non-mandatory file (mandatory defaults to false) and reports it', async () => {
    const where = await buckets(
      manifest([
        { url: url('log_data/2018/11/2018-11-05-events.json'), mandatory: false },
        { url: url('log_data/2018/11/2018-11-01-events.json'), mandatory: true },
        { url: url('log_data/2018/11/2018-11-06-events.json') },
      ]),
    );
    const result = await copy(COPY_SQL, where);
    expect(result).toMatchObject({
      files: 1,
      rowsLoaded: 1,
      skipped: [url('log_data/2018/11/2018-11-05-events.json'), url('log_data/2018/11/2018-11-06-events.json')],
    });
    expect(await numbers()).toEqual([1]);
  });

  it('terminates when no listed file exists, whatever the mandatory settings', async () => {
    const where = await buckets(manifest([{ url: url('log_data/none.json') }, { url: url('log_data/nor-this.json'), mandatory: false }]));
    expect(await failure(COPY_SQL, where)).toMatch(
      /^COPY numbers: no file found: none of the 2 file\(s\) the manifest s3:\/\/load-files\/loads\/1\/events\.manifest lists exists/,
    );
  });

  it('accepts an UNLOAD manifest: meta.content_length and other top-level keys are not used by a JSON COPY', async () => {
    const text = JSON.stringify({
      entries: [{ url: url('log_data/2018/11/2018-11-01-events.json'), meta: { content_length: 999999, record_count: 1 } }],
      schema: { elements: [] },
      author: { name: 'Amazon Redshift', version: '1.0.0' },
    });
    expect(await copy(COPY_SQL, await buckets(text))).toMatchObject({ files: 1, rowsLoaded: 1 });
  });

  it('keeps naming the data file and line of each rejected record, and applies MAXERROR over all files', async () => {
    const logs = {
      ...LOGS,
      'log_data/bad-a.json': ndjson([{ n: 10 }, { n: 'eleven' }, { n: 12 }]),
      'log_data/bad-b.json': '{"n": 20}\n{"n": ',
    };
    const entries = manifest([{ url: url('log_data/bad-b.json'), mandatory: true }, { url: url('log_data/bad-a.json') }]);
    const within = await copy(`${COPY_SQL} MAXERROR 2`, await buckets(entries, logs));
    expect(within).toMatchObject({ files: 2, recordsRead: 5, rowsLoaded: 3 });
    expect(within.rejected.map((row) => [row.filename, row.lineNumber, row.errCode])).toEqual([
      [url('log_data/bad-b.json'), 2, 1216],
      [url('log_data/bad-a.json'), 2, 1207],
    ]);
    expect(await numbers()).toEqual([10, 12, 20]);
    const error = await copy(`${COPY_SQL} MAXERROR 1`, await buckets(entries, logs)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CopyError);
    expect((error as CopyError).message).toContain(`${url('log_data/bad-a.json')}:2 column n (integer)`);
    expect(await numbers()).toEqual([]);
  });
});

describe('a manifest that cannot be used', () => {
  const cases: [string, string, RegExp][] = [
    ['bad JSON', '{"entries": [', /is not properly formed: it is not valid JSON/],
    ['smart quotes', '{\u201Centries\u201D: []}', /not valid JSON \(its quotes must be plain double quotes/],
    ['not an object', '[]', /it holds an array, not a JSON object/],
    ['no entries key', '{"files": []}', /it has no "entries" key/],
    ['entries not an array', '{"entries": {}}', /"entries" is an object, not an array/],
    ['no entries', '{"entries": []}', /"entries" is empty: it lists no file/],
    ['an entry without url', manifest([{ mandatory: true }]), /entry 1 has no "url"/],
    [
      'a url without s3://',
      manifest([{ url: 'udacity-dend/log_data/a.json' }]),
      /entry 1 has the url "udacity-dend\/log_data\/a\.json", which is not s3:\/\/bucket\/full-object-key/,
    ],
    [
      'a url naming only a bucket',
      manifest([{ url: url('log_data/a.json') }, { url: 's3://udacity-dend/' }]),
      /entry 2 has the url "s3:\/\/udacity-dend\/"/,
    ],
    [
      'mandatory as a string',
      manifest([{ url: url('a.json'), mandatory: 'true' }]),
      /entry 1 has "mandatory": "true"; it takes true or false/,
    ],
    ['a misspelt key', manifest([{ url: url('a.json'), mandatroy: true }]), /entry 1 has the key\(s\) "mandatroy"/],
    [
      'a bad content_length',
      manifest([{ url: url('a.json'), meta: { content_length: '12' } }]),
      /content_length is the file's size in bytes/,
    ],
  ];

  it.each(cases)('%s is an error naming the manifest and the problem', async (_name, text, problem) => {
    const message = await failure(COPY_SQL, await buckets(text));
    expect(message).toMatch(/^COPY numbers: the manifest file s3:\/\/load-files\/loads\/1\/events\.manifest is not properly formed: /);
    expect(message).toMatch(problem);
  });

  it('a missing manifest, or FROM naming a prefix, is an error', async () => {
    const where = await buckets(manifest([{ url: url('log_data/2018/11/2018-11-01-events.json') }]));
    expect(await failure(COPY_SQL.replace('events.manifest', 'other.manifest'), where)).toMatch(
      /^COPY numbers: the manifest file s3:\/\/load-files\/loads\/1\/other\.manifest does not exist/,
    );
    // 'events.man' is a prefix of the manifest's key: MANIFEST never matches by prefix.
    expect(await failure(COPY_SQL.replace('events.manifest', 'events.man'), where)).toMatch(/manifest file .*events\.man does not exist/);
    expect(await failure(COPY_SQL.replace('loads/1/events.manifest', 'loads/'), where)).toMatch(
      /must name the manifest file itself, not a key prefix/,
    );
  });

  it('an entry in an unmapped bucket names the entry and the known buckets', async () => {
    const where = await buckets(manifest([{ url: 's3://elsewhere/a.json', mandatory: true }]));
    expect(await failure(COPY_SQL, where)).toMatch(/entry 1 of the manifest .*: No local folder for bucket 'elsewhere'.*known buckets/);
  });
});

describe('the Redshift gate', () => {
  it('accepts MANIFEST with the other COPY parameters, and still refuses what COPY from S3 does not take', () => {
    expect(checkRedshiftSql(`${COPY_SQL} MAXERROR 3 TIMEFORMAT 'epochmillisecs' REGION 'us-west-2';`, 'q.sql')).toEqual([]);
    expect(checkRedshiftSql(`COPY t FROM 's3://b/m' ${ROLE} MANIFEST FORMAT AS JSON 's3://b/paths.json'`, 'q.sql')).toEqual([]);
    expect(checkRedshiftSql(`${COPY_SQL} READRATIO 50`, 'q.sql')[0]?.construct).toBe('COPY parameter READRATIO');
    expect(checkRedshiftSql(`${COPY_SQL} MANIFESTS`, 'q.sql')[0]?.construct).toBe('COPY parameter MANIFESTS');
  });
});
