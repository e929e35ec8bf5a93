import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { LoadFailedError, runOfflineLoad } from '../../local/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { MAX_ERROR_BYTES } from '../../lib/rules/limits';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { openTestEngine, type TestEngine } from '../support/engine';

// SPEC §4: a reload is one transaction; whatever fails, the last good load stays as it was.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let good: string;

async function load(bucket: string, loadId: string, sql: SqlFiles = files) {
  const plan = buildLoadPlan(sql, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, sql, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket } });
}

async function snapshot() {
  const tables = ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'];
  return Promise.all(tables.map(async (t) => (await db.engine.query(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)).rows));
}

/** A copy of the good source with one event log file rewritten. */
async function variant(name: string, edit: (lines: string[]) => string[]): Promise<{ bucket: string; file: string }> {
  const bucket = path.join(workDir, name);
  await cp(good, bucket, { recursive: true });
  const dir = path.join(bucket, 'log_data/2018/11');
  const file = path.join(dir, (await readdir(dir)).sort()[1]!);
  await writeFile(file, edit((await readFile(file, 'utf8')).split('\n')).join('\n'));
  return { bucket, file: path.relative(bucket, file) };
}

async function failure(bucket: string, loadId: string, sql: SqlFiles = files): Promise<LoadFailedError> {
  const error = await load(bucket, loadId, sql).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoadFailedError);
  return error as LoadFailedError;
}

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-aon-'));
  good = path.join(workDir, 'good');
  await generateDataset(good, { seed: 11, songs: 120, users: 20, events: 1500, days: 5, matchRate: 0.3 });
  await load(good, 'good-1');
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('a failed load', () => {
  it('beyond MAXERROR: fails at the COPY naming file, line and reason; the previous load is intact', async () => {
    const before = await snapshot();
    const { bucket, file } = await variant('malformed', (lines) => {
      lines[2] = '{"artist": "broken", "auth": ';
      return lines;
    });
    const error = await failure(bucket, 'malformed-1');
    expect(error.step.name).toBe('staging.staging_events');
    expect(error.details.rejected?.[0]).toMatchObject({ filename: `s3://udacity-dend/${file}`, lineNumber: 3 });
    expect(error.message).toContain('rolled back');
    expect(await snapshot()).toEqual(before);
  });

  it('at a quality gate: names the gate and its failing rows; the previous load is intact', async () => {
    const before = await snapshot();
    // A users mart that loses the first user with plays: those plays have no row in users.
    const users = (files.get('marts/users.sql') as string).replace(
      /FROM\s+user_latest_event;/,
      "FROM user_latest_event WHERE user_id <> (SELECT MIN(user_id) FROM staging_events WHERE page = 'NextSong' AND user_id <> '');",
    );
    const [lost] = (await db.engine.query<{ id: string }>("SELECT MIN(user_id) AS id FROM staging_events WHERE page = 'NextSong' AND user_id <> ''")).rows;
    const error = await failure(good, 'gate-1', new Map([...files, ['marts/users.sql', users]]));
    expect(error.step.name).toBe('gate.songplays_references_resolve');
    expect(error.step.kind).toBe('gate');
    expect(error.details.failingRows?.length).toBeGreaterThan(0);
    for (const row of error.details.failingRows ?? []) expect(row).toMatchObject({ dimension: 'users', missing_key: lost?.id });
    expect(await snapshot()).toEqual(before);
  });

  it('at a mart: carries the database message; the previous load is intact and the failure is recorded', async () => {
    const before = await snapshot();
    const { bucket } = await variant('bad-user-id', (lines) =>
      lines.map((line, i) => (i === 0 ? JSON.stringify({ ...(JSON.parse(line) as object), userId: 'abc' }) : line)),
    );
    const error = await failure(bucket, 'mart-1');
    expect(error.step.name).toBe('mart.users');
    expect(error.reason).toMatch(/invalid input syntax for type integer: "abc"/);
    expect(await snapshot()).toEqual(before);
    const history = await db.engine.query<{ load_id: string; outcome: string; error: string }>(
      `SELECT load_id, outcome, error FROM load_history ORDER BY load_seq`,
    );
    expect(history.rows.map((h) => [h.load_id, h.outcome])).toEqual([
      ['good-1', 'succeeded'],
      ['malformed-1', 'failed'],
      ['gate-1', 'failed'],
      ['mart-1', 'failed'],
    ]);
    expect(history.rows[3]!.error).toContain('mart.users: invalid input syntax');
  });

  it('is followed by a good load as usual', async () => {
    const report = await load(good, 'good-2');
    expect(report.outcome).toBe('succeeded');
  });
});

describe('a failed load, from what Redshift would refuse or ignore', () => {
  // A JSON number 38.0 loads 38 (https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html#copy-usage-json-rounding);
  // the string "38.0" is converted as text, and an integer column takes digits only.
  it('sessionId written "38.0": the COPY rejects it (1207 Invalid digit) with file and line; the previous load is intact', async () => {
    const before = await snapshot();
    const { bucket, file } = await variant('session-38.0', (lines) => {
      lines[4] = (lines[4] as string).replace(/"sessionId":(\d+)/, '"sessionId":"$1.0"');
      return lines;
    });
    const error = await failure(bucket, 'decimal-session-1');
    expect(error.step.name).toBe('staging.staging_events');
    expect(error.details.rejected).toEqual([
      expect.objectContaining({
        filename: `s3://udacity-dend/${file}`,
        lineNumber: 5,
        colname: 'session_id',
        errCode: 1207,
        errReason: expect.stringMatching(/^Invalid digit, Value '\.', Pos \d+, Type: Integer$/),
        rawFieldValue: expect.stringMatching(/^\d+\.0$/),
      }),
    ]);
    expect(error.reason).toContain(`s3://udacity-dend/${file}:5 column session_id (integer): Invalid digit`);
    expect(await snapshot()).toEqual(before);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html: a JSONPaths
  // file whose one name is not "jsonpaths" is not used; COPY loads as with 'auto'.
  it("a jsonpaths file under another name: COPY uses 'auto', the camelCase keys load NULL, a gate fails with its rows", async () => {
    const before = await snapshot();
    const bucket = path.join(workDir, 'renamed-jsonpaths');
    await cp(good, bucket, { recursive: true });
    const paths = JSON.parse(await readFile(path.join(bucket, 'log_json_path.json'), 'utf8')) as { jsonpaths: string[] };
    await writeFile(path.join(bucket, 'log_json_path.json'), JSON.stringify({ paths: paths.jsonpaths }));
    const error = await failure(bucket, 'renamed-jsonpaths-1');
    // userId, sessionId, itemInSession... load NULL, so plays at the same ts get the same id (and no
    // user is identified: users would be empty too).
    expect(error.step.name).toBe('gate.keys_not_null_and_unique');
    expect(error.details.failingRows?.length).toBeGreaterThan(0);
    for (const row of error.details.failingRows ?? []) {
      expect(row).toMatchObject({ table_name: 'songplays', key_value: expect.any(String) });
      expect(Number(row['copies'])).toBeGreaterThan(1);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a failure message past the limit, of multi-byte characters and quotes, is cut and then recorded', async () => {
    const history = async (loadId: string) =>
      (await db.engine.query<{ error: string }>(`SELECT error FROM load_history WHERE load_id = '${loadId}'`)).rows;
    // Every alignment of the cut against the 8 bytes of "é'😀\\": 2-, 1-, 4- and 1-byte characters.
    for (const pad of Array.from({ length: 8 }, (_, n) => 'x'.repeat(n))) {
      const text = `${pad}${"é'😀\\".repeat(700)}`;
      // A backslash escapes in a Redshift literal (issue 20): written \\ for one.
      const users = `INSERT INTO users (user_id) SELECT CAST('${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}' AS INTEGER);`;
      const loadId = `long-message-${pad.length}`;
      const error = await failure(good, loadId, new Map([...files, ['marts/users.sql', users]]));
      expect(error.details.historyNote).toBeUndefined();
      const recorded = `mart.users: ${error.reason}`.replace(/\\/g, '/');
      expect(Buffer.byteLength(recorded)).toBeGreaterThan(MAX_ERROR_BYTES);
      const [row] = await history(loadId);
      expect(Buffer.byteLength(row?.error ?? '')).toBeLessThanOrEqual(MAX_ERROR_BYTES);
      expect(Buffer.byteLength(row?.error ?? '')).toBeGreaterThan(MAX_ERROR_BYTES - 4);
      expect(recorded.startsWith(row?.error ?? '?')).toBe(true);
    }
  });
});
