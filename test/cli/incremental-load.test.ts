import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEngine, type TestEngine } from '../support/engine';
import { runCli as sparkify } from '../support/cli';

// Issue 15, item 3: `sparkify load --incremental` on a dataset that `generate --days-after` grows.
let db: TestEngine;
let workDir: string;
let source: string;

const rowsOf = (out: string, table: string) => Number(new RegExp(`^\\s+${table}\\s+(\\d+)$`, 'm').exec(out)?.[1]);

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.close(); // the CLI opens the database itself
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-cli-incremental-'));
  source = path.join(workDir, 'source');
  const generated = await sparkify(
    'generate',
    '--out',
    source,
    '--seed',
    '7',
    '--days',
    '5',
    '--events',
    '1000',
    '--songs',
    '120',
    '--users',
    '20',
  );
  expect(generated.code).toBe(0);
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('sparkify load --incremental', () => {
  it('loads in full the first time, saying why, then only the new day', async () => {
    const first = await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^ {2}source {2}\d+ objects listed in \d+ ms$/m);
    // A new warehouse has no table either: the first reason is the true one.
    expect(first.out).toContain('  mode    full: no earlier load succeeded');
    const fullPlays = rowsOf(first.out, 'songplays');

    expect((await sparkify('generate', '--out', source, '--days-after', '1')).code).toBe(0);
    const next = await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries');
    expect(next.code).toBe(0);
    expect(next.out).toContain('  mode    incremental: 1 new log file (log_data/2018/11/2018-11-06-events.json)');
    expect(next.out).toMatch(/^\s+\d+ ms {2}staging\.staging_events\s+1 files, \d+ rows$/m);
    expect(next.out).not.toContain('mart.songs');
    expect(next.out).toContain('Quality gates: 5 passed');
    expect(rowsOf(next.out, 'songplays')).toBeGreaterThan(fullPlays);

    const again = await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries');
    expect(again.code).toBe(0);
    expect(again.out).toContain('  mode    incremental: nothing new (no log file that a committed load has not read)');
    expect(again.out).toMatch(/^Nothing new: the warehouse still holds offline-\S+ \([\d,]+ songplays\)\. Took [\d.]+ (ms|s)\.$/m);
  });

  it('exits 1 naming a loaded file that changed, and a full load then takes it', async () => {
    const day = path.join(source, 'log_data/2018/11/2018-11-02-events.json');
    await writeFile(day, (await readFile(day, 'utf8')).split('\n').slice(1).join('\n'));
    const changed = await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries');
    expect(changed.code).toBe(1);
    expect(changed.err).toContain(
      'Load failed at step source.compare (sql/catalog/tracked_files.sql): 1 log file changed since it was loaded',
    );
    expect(changed.err).toMatch(/log_data\/2018\/11\/2018-11-02-events\.json: now size \d+, etag "[0-9a-f]{32}" \(was size \d+/);
    expect(changed.err).toContain('Nothing was loaded: the warehouse still holds the previous load.');

    const full = await sparkify('load', '--source', source, '--db', db.target, '--no-queries');
    expect(full.code).toBe(0);
    expect(full.out).toContain('  mode    full\n');
    expect((await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries')).out).toContain('nothing new');
  });

  it('refuses a load id the warehouse already has, in full and incremental loads alike, and keeps one row of it', async () => {
    const load = (...args: string[]) =>
      sparkify('load', ...args, '--source', source, '--db', db.target, '--no-queries', '--load-id', 'run-1');
    expect((await load()).code).toBe(0);
    const refusal =
      'error: the load id run-1 is already in the warehouse (a load of that id succeeded, in load_history): each load needs an id of its own (leave out --load-id for a new one)';
    for (const mode of [[], ['--incremental']]) {
      const again = await load(...mode);
      expect(again.code, mode.join(' ')).toBe(1);
      expect(again.err, mode.join(' ')).toBe(refusal);
      expect(again.out, mode.join(' ')).not.toContain('Loaded run-1');
    }
    const history = await sparkify('query', "SELECT outcome FROM load_history WHERE load_id = 'run-1'", '--db', db.target, '--json');
    expect(JSON.parse(history.out)).toEqual([{ outcome: 'succeeded' }]);
  });
});
