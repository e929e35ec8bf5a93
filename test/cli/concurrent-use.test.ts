import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { lockPathOf, SERVER_WRITER_LOCK } from '../../local/warehouse';
import { WarehouseLock } from '../../local/warehouse-lock';
import { runCli } from '../support/cli';
import { cloneLoadedSample, openTestEngine, serverUrl } from '../support/engine';

// Real processes on one warehouse folder, as two terminals and a watch loop would run them.
const BIN = path.join(PROJECT_ROOT, 'bin/sparkify.mjs');
// What a query sees of the warehouse. Not staging: queries run as the analyst, who may not read it (issue #13).
const CONTENT = `SELECT
  (SELECT COUNT(*) FROM songplays) AS songplays, (SELECT COUNT(DISTINCT songplay_id) FROM songplays) AS distinct_plays,
  (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM songs) AS songs, (SELECT COUNT(*) FROM artists) AS artists,
  (SELECT COUNT(*) FROM time) AS time, (SELECT MAX(rows_staging_events) FROM load_history) AS staging_events,
  (SELECT COUNT(song_id) FROM songplays) AS matched, (SELECT SUM(session_id) FROM songplays) AS sessions,
  (SELECT COUNT(*) FROM load_history WHERE outcome = 'running') AS running_loads`;

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

interface Running {
  readonly done: Promise<Run>;
  kill(): void;
  /** Resolves when stdout or stderr first contains `text`. */
  printed(text: string): Promise<void>;
}

function start(...args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const seen = () => {
    for (const waiter of waiters.filter((w) => out.includes(w.text) || err.includes(w.text))) waiter.resolve();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    seen();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    seen();
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return {
    done,
    kill: () => child.kill('SIGKILL'),
    printed: (text) => new Promise((resolve) => (out.includes(text) || err.includes(text) ? resolve() : waiters.push({ text, resolve }))),
  };
}

const sparkify = (...args: string[]) => start(...args).done;

let workDir: string;
let db: string;
let expected: Record<string, unknown>;

// The checks between the processes' work read the folder as a query does, in this process: a
// process of its own would add ~1.7 s of CPU (node, tsx and the CLI's modules) to each of the twelve.
async function content(): Promise<Record<string, unknown>> {
  const { code, out, err } = await runCli('query', CONTENT, '--db', db, '--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  return (JSON.parse(out) as Record<string, unknown>[])[0] ?? {};
}

async function history(): Promise<Map<string, string[]>> {
  const { out } = await runCli('query', 'SELECT load_id, outcome FROM load_history ORDER BY started_at', '--db', db, '--json');
  const byId = new Map<string, string[]>();
  for (const row of JSON.parse(out) as { load_id: string; outcome: string }[])
    byId.set(row.load_id, [...(byId.get(row.load_id) ?? []), row.outcome]);
  return byId;
}

beforeAll(async () => {
  workDir = await realpath(await mkdtemp(path.join(tmpdir(), 'sparkify-concurrent-')));
  db = path.join(workDir, 'db');
  await cloneLoadedSample(db);
  expected = await content();
  expect(expected.songplays).toBe(expected.distinct_plays);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('one warehouse folder, several processes', () => {
  it.each([
    { round: 1, loads: ['--wait', '60'], second: ['--wait', '60'] },
    { round: 2, loads: ['--wait', '60'], second: ['--wait', '0'] },
    { round: 3, loads: ['--wait', '60'], second: ['--wait', '60'], third: ['--wait', '60'] },
  ])('round $round: loads wait or say who holds the folder, queries always see one whole load', async ({ round, loads, second, third }) => {
    const runs = [loads, second, ...(third ? [third] : [])].map((wait, i) => ({
      loadId: `round${round}-load${i + 1}`,
      running: start('load', '--db', db, '--no-queries', '--load-id', `round${round}-load${i + 1}`, ...wait),
    }));
    let loading = true;
    const all = Promise.all(runs.map((run) => run.running.done)).finally(() => (loading = false));
    const queries: Run[] = [];
    while (loading) queries.push(await sparkify('query', 'SELECT COUNT(*) AS n FROM songplays', '--db', db, '--json'));
    const results = await all;

    for (const query of queries) {
      expect(query.code, query.err).toBe(0);
      expect(JSON.parse(query.out)).toEqual([{ n: expected.songplays }]);
    }
    const outcomes = await history();
    results.forEach((result, i) => {
      const { loadId } = runs[i]!;
      if (result.code === 0) {
        expect(result.out).toContain(`Loaded ${loadId}`);
        expect(outcomes.get(loadId)).toEqual(['succeeded']);
      } else {
        expect(result.code).toBe(1);
        expect(result.err).toMatch(
          new RegExp(
            `^error: the warehouse at ${db} is being (used by load round${round}-load\\d \\(pid \\d+, since [0-9T:.-]+Z\\)|read by a query); try again or pass --wait SECONDS`,
            'm',
          ),
        );
        expect(outcomes.get(loadId)).toBeUndefined();
      }
    });
    expect(results.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
    if (second[1] === '60') expect(results.every((r) => r.code === 0)).toBe(true);
    expect(await content()).toEqual(expected);
  });

  it('a load killed with SIGKILL mid-way leaves the last load whole, and the next load takes over its lock', async () => {
    const victim = start('load', '--db', db, '--no-queries', '--load-id', 'victim');
    await victim.printed('mart.songs');
    victim.kill();
    const killed = await victim.done;
    expect(killed.out).not.toContain('Loaded victim');
    expect(await content()).toEqual(expected);

    const next = await sparkify('load', '--db', db, '--no-queries', '--load-id', 'after-victim');
    expect(next.code).toBe(0);
    expect(next.err).toMatch(/^took over the warehouse at .+ from load victim \(pid \d+, since .+\), which ended without releasing it/m);
    const outcomes = await history();
    expect(outcomes.get('victim')).toBeUndefined();
    expect(outcomes.get('after-victim')).toEqual(['succeeded']);
    expect(await content()).toEqual(expected);
  });

  it('a query that writes is refused unless asked for with --write, which takes the writer lock', async () => {
    const refused = await sparkify('query', 'DELETE FROM songplays', '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.err.trim()).toBe(
      'error: sparkify query is read-only, and this statement writes (cannot execute DELETE in a read-only transaction). ' +
        'To change the warehouse on purpose, pass --write: it waits for any load and takes the writer lock.',
    );
    expect(await content()).toEqual(expected);

    const writer = await WarehouseLock.acquire(lockPathOf(db), 'exclusive', 'load held-by-test', { waitMs: 0 });
    const write = start('query', "DELETE FROM songplays WHERE songplay_id = 'none'", '--db', db, '--write');
    await write.printed('waiting for the warehouse');
    writer.release();
    const written = await write.done;
    expect(written.code, written.err).toBe(0);
    expect(written.err).toMatch(
      new RegExp(`^waiting for the warehouse at ${db}: load held-by-test \\(pid ${process.pid}, since .+\\) holds it`, 'm'),
    );
    expect(await content()).toEqual(expected);
  });
});

describe('the lock names the folder, not the path', () => {
  it('a symlink to a warehouse being loaded finds it busy', async () => {
    const link = path.join(workDir, 'link-to-db');
    await symlink(db, link);
    const writer = await WarehouseLock.acquire(lockPathOf(db), 'exclusive', 'load through-the-real-path', { waitMs: 0 });
    try {
      const viaLink = await sparkify('load', '--db', link, '--no-queries', '--wait', '0');
      expect(viaLink.code).toBe(1);
      expect(viaLink.err).toContain(`error: the warehouse at ${db} is being used by load through-the-real-path (pid ${process.pid}`);
    } finally {
      writer.release();
    }
  });
});

describe.runIf(serverUrl)('a PostgreSQL server warehouse', () => {
  it('serialises writers with a session advisory lock and names the session that holds it', async () => {
    const db = await openTestEngine();
    try {
      // A writer holding the lock, as a load in another terminal would.
      await db.engine.query("SELECT set_config('application_name', 'sparkify load held-by-test', false)");
      await db.engine.query('SELECT pg_advisory_lock($1)', [SERVER_WRITER_LOCK]);
      const busy = await sparkify('load', '--db', db.target, '--no-queries', '--wait', '1');
      expect(busy.code).toBe(1);
      expect(busy.err).toMatch(/^waiting for the warehouse database: sparkify load held-by-test \(connected since .+Z\) holds it/m);
      expect(busy.err).toMatch(
        /^error: the warehouse database is being used by sparkify load held-by-test \(connected since .+Z\); try again or pass --wait SECONDS$/m,
      );
      await db.engine.query('SELECT pg_advisory_unlock($1)', [SERVER_WRITER_LOCK]);
      const free = await sparkify('load', '--db', db.target, '--no-queries', '--wait', '1');
      expect(free.code, free.err).toBe(0);
    } finally {
      await db.dispose();
    }
  });
});
