import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as sparkify } from '../support/cli';
import { openLoadedTestEngine, type TestEngine } from '../support/engine';

// Issue 22 item 3: `sparkify test` runs the load's quality gates on the warehouse as it stands, as
// dbt's test does: each gate PASS or FAIL with its failing rows, exit 1 on a failure.
let db: TestEngine;

beforeAll(async () => {
  db = await openLoadedTestEngine();
  await db.engine.close(); // the CLI opens the warehouse itself
});

afterAll(async () => {
  await db.dispose();
});

const GATES = [
  'gate.keys_not_null_and_unique',
  'gate.songplays_references_resolve',
  'gate.source_files_tracked_once',
  'gate.star_tables_not_empty',
];

interface TestJson {
  readonly load: string;
  readonly passed: number;
  readonly failed: number;
  readonly gates: {
    readonly gate: string;
    readonly status: string;
    readonly failingRows?: number;
    readonly rows?: Record<string, unknown>[];
  }[];
}

describe('sparkify test', () => {
  it('passes every gate of a fresh load, as the loader, and exits 0', async () => {
    const { code, out, err } = await sparkify('test', '--db', db.target);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^sparkify test {2}4 quality gates of sql\/gates on .+ {2}\(load test-sample, as sparkify_loader_user\)$/m);
    for (const gate of GATES) expect(out).toMatch(new RegExp(`^ {2}PASS {2}${gate.replace('.', '\\.')} +\\d+ ms$`, 'm'));
    // It compares staging with the COPY's counts in the load's own history row, which exists only while the load runs.
    expect(out).toContain('  SKIP  gate.staging_rows_match_records_read: it checks a load while it runs');
    expect(out).toMatch(/^4 passed, 0 failed, 1 skipped in \d+\.\d\d s$/m);
  });

  it('fails naming the gate, its failing rows and a few of them, and exits 1, when a row is broken on purpose', async () => {
    const broken = await sparkify(
      'query',
      '--db',
      db.target,
      '--write',
      'INSERT INTO users SELECT * FROM users WHERE user_id = (SELECT MIN(user_id) FROM users)',
    );
    expect(broken.code).toBe(0);
    const { code, out } = await sparkify('test', '--db', db.target);
    expect(code).toBe(1);
    expect(out).toMatch(
      /^ {2}FAIL {2}gate\.keys_not_null_and_unique +1 failing row \(sql\/gates\/manifest\.json\):\n {10}table_name +key_value +copies\n.*\n {10}users +\d+ +2$/m,
    );
    expect(out).toMatch(/^ {2}PASS {2}gate\.songplays_references_resolve /m);
    expect(out).toMatch(/^3 passed, 1 failed, 1 skipped in /m);

    // Songplays pointing at a song that is not there: the reference gate, five of its rows shown.
    const orphans = await sparkify(
      'query',
      '--db',
      db.target,
      '--write',
      "UPDATE songplays SET song_id = 'NO-SUCH-SONG' WHERE song_id IS NOT NULL",
    );
    expect(orphans.code).toBe(0);
    const json = await sparkify('test', '--db', db.target, '--json');
    expect(json.code).toBe(1);
    const result = JSON.parse(json.out) as TestJson;
    expect(result).toMatchObject({ load: 'test-sample', passed: 2, failed: 2 });
    const references = result.gates.find((gate) => gate.gate === 'gate.songplays_references_resolve');
    expect(references?.status).toBe('fail');
    expect(references?.failingRows).toBeGreaterThan(5);
    expect(references?.rows).toHaveLength(5);
    expect(references?.rows?.[0]).toMatchObject({ dimension: 'songs', missing_key: 'NO-SUCH-SONG' });

    // A fresh load rewrites the tables: every gate passes again.
    expect((await sparkify('load', '--db', db.target, '--no-queries')).code).toBe(0);
    expect((await sparkify('test', '--db', db.target)).code).toBe(0);
  });
});

describe('sparkify test where there is nothing to test', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-test-cli-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('says there is no warehouse, and exits 1', async () => {
    const db = path.join(workDir, 'db');
    const { code, out, err } = await sparkify('test', '--db', db);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`error: --db ${db}: no warehouse there yet; run 'npx sparkify load --db ${db}' first`);
  });
});
