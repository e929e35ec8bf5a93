import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../cli/main';
import { openTestEngine, type TestEngine } from '../support/engine';
import { readSource } from '../support/source-files';
import { runBin, runCli } from '../support/cli';

let db: TestEngine;
let workDir: string;

const sparkify = runCli;

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.close(); // the CLI opens the database itself
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-cli-'));
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('sparkify load', () => {
  it('loads the bundled sample: steps with times, rows per table, gates, analyst queries', async () => {
    const { code, out, err } = await sparkify('load', '--db', db.target);
    expect(err).toBe('');
    expect(code).toBe(0);
    const sample = await readSource(SAMPLE_DIR);
    const rowsOf = (table: string) => Number(new RegExp(`^\\s+${table}\\s+(\\d+)$`, 'm').exec(out)?.[1]);
    expect(rowsOf('staging_events')).toBe(sample.events.length);
    expect(rowsOf('staging_songs')).toBe(sample.songs.length);
    expect(rowsOf('songplays')).toBe(sample.events.filter((e) => e.page === 'NextSong').length);
    expect(rowsOf('users')).toBe(new Set(sample.events.filter((e) => e.userId !== '').map((e) => e.userId)).size);
    expect(out).toMatch(/^\s+\d+ ms {2}staging\.staging_events\s+30 files, \d+ rows$/m);
    expect(out).toMatch(/^\s+\d+ ms {2}mart\.songplays\s+\d+ rows$/m);
    expect(out).toContain('Quality gates: 4 passed');
    expect(out).toContain('most_played_songs: The top ten songs by plays');
    expect(out).toMatch(/level_share[\s\S]+free[\s\S]+paid/);
  });

  it('fails with exit code 1, naming the step, file, line and reason, and keeps the previous load', async () => {
    const broken = path.join(workDir, 'broken');
    await cp(SAMPLE_DIR, broken, { recursive: true });
    const day = path.join(broken, 'log_data/2018/11', (await readdir(path.join(broken, 'log_data/2018/11'))).sort()[0]!);
    const lines = (await readFile(day, 'utf8')).split('\n');
    lines[4] = lines[4]!.replace(/"sessionId":\d+/, '"sessionId":"not a number"');
    await writeFile(day, lines.join('\n'));
    const { code, err } = await sparkify('load', '--source', broken, '--db', db.target, '--no-queries');
    expect(code).toBe(1);
    expect(err).toContain('Load failed at step staging.staging_events');
    expect(err).toContain('rolled back');
    expect(err).toContain('s3://udacity-dend/log_data/2018/11/2018-11-01-events.json:5 column session_id (integer): Invalid digit');
    const { out } = await sparkify(
      'query',
      'SELECT outcome, COUNT(*) AS loads FROM load_history GROUP BY outcome ORDER BY outcome',
      '--db',
      db.target,
      '--json',
    );
    expect(JSON.parse(out)).toEqual([
      { outcome: 'failed', loads: 1 },
      { outcome: 'succeeded', loads: 1 },
    ]);
  });

  it('names a missing source folder', async () => {
    const { code, err } = await sparkify('load', '--source', path.join(workDir, 'nope'), '--db', db.target);
    expect(code).toBe(1);
    expect(err).toMatch(/--source .*nope: no such folder/);
  });
});

describe('sparkify query', () => {
  it('runs a named query as JSON rows', async () => {
    const { code, out } = await sparkify('query', 'most_active_users', '--db', db.target, '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { user_id: unknown; plays: unknown }[];
    expect(rows.length).toBeGreaterThan(1);
    // Numbers as numbers (a count is a number on PGlite and on a server alike), sorted as numbers.
    const plays = rows.map((r) => r.plays);
    for (const row of rows) {
      expect(typeof row.user_id).toBe('number');
      expect(typeof row.plays).toBe('number');
    }
    expect(plays).toEqual([...plays].sort((a, b) => Number(b) - Number(a)));
    expect(new Set(plays).size).toBeGreaterThan(1);
  });

  it('runs any SQL as a table', async () => {
    const { code, out } = await sparkify(
      'query',
      'SELECT level, COUNT(*) AS users FROM users GROUP BY level ORDER BY level',
      '--db',
      db.target,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^level\s+users\n-+\s+-+\nfree\s+\d+\npaid\s+\d+\n\(2 rows\)$/);
  });

  it('lists the named queries', async () => {
    const { out } = await sparkify('query', '--list');
    for (const name of [
      'most_played_songs',
      'most_played_artists',
      'most_active_users',
      'plays_by_hour',
      'plays_by_weekday',
      'level_share',
      'top_locations',
      'daily_plays',
      'headline',
      'level_by_day',
      'recent_loads',
      'data_quality',
    ]) {
      expect(out).toContain(name);
    }
  });

  it('names an unknown query and the known ones', async () => {
    const { code, err } = await sparkify('query', 'most_played', '--db', db.target);
    expect(code).toBe(1);
    expect(err).toContain(
      "no query named 'most_played' in sql/queries/: use one of daily_plays, data_quality, headline, level_by_day, level_share",
    );
  });

  it('says to load first when there is no warehouse', async () => {
    const { code, err } = await sparkify('query', 'daily_plays', '--db', path.join(workDir, 'empty'));
    expect(code).toBe(1);
    expect(err).toMatch(/run 'npx sparkify load( --db \S+)?' first/);
  });
});

describe('sparkify generate', () => {
  it('writes a dataset laid out like the bucket', async () => {
    const out = path.join(workDir, 'generated');
    const result = await sparkify('generate', '--out', out, '--songs', '25', '--events', '300', '--days', '3');
    expect(result.code).toBe(0);
    const source = await readSource(out);
    expect(source.songs).toHaveLength(25);
    expect(source.events).toHaveLength(300);
    expect(await readdir(path.join(out, 'log_data/2018/11'))).toEqual([
      '2018-11-01-events.json',
      '2018-11-02-events.json',
      '2018-11-03-events.json',
    ]);
  });

  it('refuses a bad option', async () => {
    const { code, err } = await sparkify('generate', '--out', path.join(workDir, 'x'), '--match-rate', '2');
    expect(code).not.toBe(0);
    expect(err).toContain("'2' is not a share from 0 to 1");
  });
});

it('the sparkify bin runs as a command', async () => {
  const { code, stdout } = await runBin(['query', '--list']);
  expect(code).toBe(0);
  expect(stdout).toContain('most_played_songs');
});
