import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { generateDataset } from '../../lib/generator/generate-dataset';
import { LoadFailedError, runOfflineLoad } from '../../lib/offline/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { openTestEngine, type TestEngine } from '../support/engine';

// SPEC §4: a reload is one transaction; whatever fails, the last good load stays as it was.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;
let good: string;

async function load(bucket: string, loadId: string) {
  const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: bucket } });
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

async function failure(bucket: string, loadId: string): Promise<LoadFailedError> {
  const error = await load(bucket, loadId).then(
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
    // A play with no user: its songplays.user_id has no row in users.
    const { bucket } = await variant('orphan-play', (lines) =>
      lines.map((line, i) => {
        if (i !== lines.findIndex((l) => l.includes('"page":"NextSong"'))) return line;
        const event = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify({ ...event, userId: '' });
      }),
    );
    const error = await failure(bucket, 'gate-1');
    expect(error.step.name).toBe('gate.songplays_references_resolve');
    expect(error.step.kind).toBe('gate');
    expect(error.details.failingRows).toEqual([expect.objectContaining({ dimension: 'users', missing_key: null })]);
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
