import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type WarehouseConfig } from '../../lib/config/warehouse-config';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { LoadFailedError, runOfflineLoad, type LoadReport } from '../../local/offline-executor';
import { openTestEngine, type TestEngine } from '../support/engine';

// SPEC §3: string comparisons follow Redshift. A whole load on a hand-made bucket holding the cases
// the real data has: a play whose title ends in a blank ("Who's Your Daddy? " in the real log
// data), an artist location of one blank, and a multibyte value longer in bytes than its column.
const files = readSqlFiles();
let db: TestEngine;
let workDir: string;

interface Song {
  readonly song_id: string;
  readonly title: string;
  readonly artist_id: string;
  readonly artist_name: string;
  readonly artist_location: string;
  readonly duration: number;
}

const SONGS: readonly Song[] = [
  { song_id: 'SOWHOSD12A8C13B2F1', title: "Who's Your Daddy?", artist_id: 'ARTOBYK1187B9A5E3', artist_name: 'Toby Keith', artist_location: ' ', duration: 274.1 },
  { song_id: 'SOHEAVY12AB0185E3', title: 'Heavy Soul', artist_id: 'ARBLACK1187B99C72', artist_name: 'The Black Keys', artist_location: 'Akron, OH', duration: 181.5 },
];

function event(item: number, song: string, artist: string, level = 'free'): Record<string, unknown> {
  return {
    artist,
    auth: 'Logged In',
    firstName: 'Lily',
    gender: 'F',
    itemInSession: item,
    lastName: 'Koch',
    length: 200,
    level,
    location: 'Chicago-Naperville-Elgin, IL-IN-WI',
    method: 'PUT',
    page: 'NextSong',
    registration: 1541048010796.0,
    sessionId: 818,
    song,
    status: 200,
    ts: 1543103174796 + item * 1000,
    userAgent: 'Mozilla/5.0',
    userId: '15',
  };
}

/** A bucket laid out like s3://udacity-dend with these songs and events. */
async function bucket(name: string, events: readonly Record<string, unknown>[]): Promise<string> {
  const root = path.join(workDir, name);
  for (const song of SONGS) {
    const dir = path.join(root, 'song_data', 'A', 'B', 'C');
    await mkdir(dir, { recursive: true });
    const record = { num_songs: 1, artist_latitude: null, artist_longitude: null, year: 2000, ...song };
    await writeFile(path.join(dir, `TR${song.song_id.slice(2)}.json`), JSON.stringify(record));
  }
  const logs = path.join(root, 'log_data', '2018', '11');
  await mkdir(logs, { recursive: true });
  await writeFile(path.join(logs, '2018-11-24-events.json'), events.map((e) => JSON.stringify(e)).join('\n'));
  await copyFile(path.join('sample', 'log_json_path.json'), path.join(root, 'log_json_path.json'));
  return root;
}

async function load(loadId: string, root: string, settings: WarehouseConfig = DEFAULT_CONFIG): Promise<LoadReport> {
  const plan = buildLoadPlan(files, { settings, roleArn: 'arn:aws:iam::000000000000:role/test', loadId });
  return runOfflineLoad(db.engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: root } });
}

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-strings-'));
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('trailing blanks are insignificant when Redshift compares strings', () => {
  // https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html ("Significance of trailing blanks")
  it("a play titled with a trailing blank gets its song; a location of ' ' loads as NULL", async () => {
    const root = await bucket('blanks', [event(0, "Who's Your Daddy? ", 'Toby Keith'), event(1, 'Heavy Soul', 'The Black Keys')]);
    await load('blanks-1', root);
    expect(await rows(`SELECT song_id, artist_id FROM songplays ORDER BY start_time`)).toEqual([
      { song_id: 'SOWHOSD12A8C13B2F1', artist_id: 'ARTOBYK1187B9A5E3' },
      { song_id: 'SOHEAVY12AB0185E3', artist_id: 'ARBLACK1187B99C72' },
    ]);
    expect(await rows(`SELECT artist_id, location FROM artists ORDER BY artist_id`)).toEqual([
      { artist_id: 'ARBLACK1187B99C72', location: 'Akron, OH' },
      { artist_id: 'ARTOBYK1187B9A5E3', location: null },
    ]);
    // The staged value keeps its blank: only comparisons ignore it.
    expect(await rows(`SELECT song FROM staging_events WHERE song LIKE 'Who%'`)).toEqual([{ song: "Who's Your Daddy? " }]);
  });
});

describe('VARCHAR lengths are bytes', () => {
  // https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html ("Storage and ranges") and
  // https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html (1204).
  const level = 'é'.repeat(9); // 9 characters, 18 bytes: fits VARCHAR(16) in PostgreSQL, not in Redshift

  it('COPY rejects a multibyte value longer in bytes than its column; with MAXERROR 0 the load fails', async () => {
    const root = await bucket('bytes', [event(0, 'Heavy Soul', 'The Black Keys'), event(1, 'Heavy Soul', 'The Black Keys', level)]);
    const error = await load('bytes-1', root).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(LoadFailedError);
    const failed = error as LoadFailedError;
    expect(failed.step.name).toBe('staging.staging_events');
    expect(failed.details.rejected).toEqual([
      expect.objectContaining({
        filename: 's3://udacity-dend/log_data/2018/11/2018-11-24-events.json',
        lineNumber: 2,
        colname: 'level',
        type: 'character varying(16)',
        rawFieldValue: level,
        errCode: 1204,
        errReason: 'String length exceeds DDL length',
      }),
    ]);
  });

  it('the rejected row counts toward MAXERROR: within it the load keeps the other rows', async () => {
    const root = await bucket('bytes-maxerror', [event(0, 'Heavy Soul', 'The Black Keys'), event(1, 'Heavy Soul', 'The Black Keys', level)]);
    const report = await load('bytes-2', root, { ...DEFAULT_CONFIG, maxLoadErrors: 1 });
    const staging = report.steps.find((s) => s.step.name === 'staging.staging_events');
    expect(staging?.rows).toBe(1);
    expect(staging?.rejected?.map((r) => [r.lineNumber, r.colname, r.errCode])).toEqual([[2, 'level', 1204]]);
    expect(await rows(`SELECT level FROM songplays`)).toEqual([{ level: 'free' }]);
  });
});
