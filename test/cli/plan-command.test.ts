import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_STATEMENTS } from '../../lib/rules/limits';
import { openEngine } from '../../local/engine';
import { runCli as sparkify } from '../support/cli';
import { openLoadedTestEngine, openTestEngine, serverUrl, type TestEngine } from '../support/engine';

// Issue 22 item 3: `sparkify plan` prints the statements a load would run, as the deploy's Lambda
// submits them (one BatchExecuteStatement), full or incremental as the warehouse decides, and
// changes nothing.
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-plan-cli-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

interface PlanJson {
  readonly loadId: string;
  readonly mode: string;
  readonly reason?: string;
  readonly newFiles?: string[];
  readonly warehouse: { readonly exists: boolean; readonly heldLoad: { readonly loadId: string } | null };
  readonly statementName: string;
  readonly statements: number;
  readonly batches: {
    readonly statements: { readonly index: number; readonly step: string; readonly file: string; readonly sql: string }[];
  }[];
}

async function planJson(...args: string[]): Promise<PlanJson> {
  const { code, out, err } = await sparkify('plan', '--json', ...args);
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out) as PlanJson;
}

/** The steps a load printed, in order (cli/console-reporter.ts: `  <ms> ms  <step>  ...`). */
const stepsRun = (out: string) => [...out.matchAll(/^ +\d+ ms {2}(\S+)/gm)].map((match) => match[1]);

/** Every file of a PGlite folder with its size and modification time. */
async function folderState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const info = await stat(path.join(dir, entry));
    if (info.isFile()) state[entry] = `${info.size} ${info.mtimeMs}`;
  }
  return state;
}

describe('sparkify plan on a loaded warehouse', () => {
  let db: TestEngine;

  beforeAll(async () => {
    db = await openLoadedTestEngine();
  });

  afterAll(async () => {
    await db.dispose();
  });

  it('prints each statement as the Data API receives it, named by step and file, with the count on stderr, and changes nothing', async () => {
    const history = async () => (await db.engine.query('SELECT load_id, outcome FROM load_history ORDER BY load_id')).rows;
    const historyBefore = await history();
    await db.engine.close(); // the CLI opens the warehouse itself
    const folderBefore = serverUrl ? undefined : await folderState(db.target);

    const { code, out, err } = await sparkify('plan', '--db', db.target);
    expect(code).toBe(0);
    const count = Number(
      /^ {2}batch {6}(\d+) statements in 1 BatchExecuteStatement \(one transaction; the Data API takes at most 40\)/m.exec(err)?.[1],
    );
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThanOrEqual(MAX_BATCH_STATEMENTS);
    expect(err).toContain("  mode       full, as 'sparkify load' runs without --incremental");
    expect(err).toMatch(/^ {2}warehouse {2}.+: holds load test-sample of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    // stdout is the batch: one comment line per statement, each statement ended by a semicolon.
    expect(out).toMatch(
      new RegExp(`^-- BatchExecuteStatement 1 of 1: ${count} statements, one transaction \\(StatementName sparkify-load:offline-`),
    );
    expect([...out.matchAll(/^-- (\d+)\/(\d+) {2}\S+ {2}\(sql\/\S+\)$/gm)].map((match) => `${match[1]}/${match[2]}`)).toEqual(
      Array.from({ length: count }, (_, i) => `${i + 1}/${count}`),
    );
    // A gate as the Lambda sends it: a CALL that fails the transaction when its query returns rows.
    expect(out).toMatch(
      /^-- \d+\/\d+ {2}gate\.keys_not_null_and_unique {2}\(sql\/gates\/manifest\.json\)\nCALL assert_gate\('gate\.keys_not_null_and_unique', 'SELECT/m,
    );
    expect(out.trimEnd().endsWith('-- end of BatchExecuteStatement 1 of 1')).toBe(true);

    // Nothing was run or written: the folder is as it was, load_history too.
    if (folderBefore) expect(await folderState(db.target)).toEqual(folderBefore);
    const reopened = await openEngine(db.target);
    try {
      expect((await reopened.query('SELECT load_id, outcome FROM load_history ORDER BY load_id')).rows).toEqual(historyBefore);
    } finally {
      await reopened.close();
    }
  });

  it('--json: the steps the load then runs, in the same order', async () => {
    const plan = await planJson('--db', db.target);
    expect(plan.mode).toBe('full');
    expect(plan.warehouse).toMatchObject({ exists: true, heldLoad: { loadId: 'test-sample' } });
    expect(plan.statementName).toBe(`sparkify-load:${plan.loadId}`);
    const [batch, ...more] = plan.batches;
    expect(more).toEqual([]);
    expect(batch?.statements.length).toBe(plan.statements);
    const load = await sparkify('load', '--db', db.target, '--no-queries');
    expect(load.code).toBe(0);
    expect(stepsRun(load.out)).toEqual(batch?.statements.map((statement) => statement.step));
    expect(load.out).toContain(`  steps   ${plan.statements}, one transaction`);
  });
});

describe('sparkify plan where there is no warehouse', () => {
  it('plans the first, full load, says so, and creates no folder', async () => {
    const db = path.join(workDir, 'none', 'db');
    const { code, out, err } = await sparkify('plan', '--db', db, '--incremental');
    expect(code).toBe(0);
    expect(err).toContain(`  warehouse  ${db}: no warehouse there yet, so the load is a full one that creates every table`);
    expect(err).toContain('  mode       full: no earlier load succeeded');
    expect(out).toMatch(
      /^-- 1\/\d+ {2}schema\.staging_events {2}\(sql\/schema\/staging_events\.sql\)\n(--.*\n)*CREATE TABLE IF NOT EXISTS staging_events/m,
    );
    expect(existsSync(path.join(workDir, 'none'))).toBe(false);
  });
});

describe('sparkify plan --incremental', () => {
  let db: TestEngine;
  let source: string;

  beforeAll(async () => {
    db = await openTestEngine();
    await db.engine.close();
    source = path.join(workDir, 'source');
    const args = ['--seed', '7', '--days', '4', '--events', '600', '--songs', '80', '--users', '15'];
    expect((await sparkify('generate', '--out', source, ...args)).code).toBe(0);
    expect((await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries')).code).toBe(0);
  });

  afterAll(async () => {
    await db.dispose();
  });

  it('says when there is nothing new: no statement', async () => {
    const { code, out, err } = await sparkify('plan', '--incremental', '--source', source, '--db', db.target);
    expect(code).toBe(0);
    expect(err).toContain('  mode       incremental: nothing new (no log file that a committed load has not read)');
    expect(err).toContain('  batch      none: the load would run nothing');
    expect(out).toBe('-- nothing to run: incremental: nothing new (no log file that a committed load has not read)');
    expect((await planJson('--incremental', '--source', source, '--db', db.target)).batches).toEqual([]);
  });

  it('plans the new day from its manifest, as the incremental load then runs it', async () => {
    expect((await sparkify('generate', '--out', source, '--days-after', '1')).code).toBe(0);
    const plan = await planJson('--incremental', '--source', source, '--db', db.target);
    expect(plan.mode).toBe('incremental');
    expect(plan.newFiles).toEqual(['log_data/2018/11/2018-11-05-events.json']);
    const statements = plan.batches[0]?.statements ?? [];
    const copy = statements.find((statement) => statement.step === 'staging.staging_events');
    expect(copy?.sql).toContain(`FROM 's3://sparkify-load-files/loads/${plan.loadId}/events.manifest'`);
    expect(copy?.sql).toMatch(/\bMANIFEST\b/);
    expect(statements.map((statement) => statement.step)).not.toContain('mart.songs');

    const load = await sparkify('load', '--incremental', '--source', source, '--db', db.target, '--no-queries');
    expect(load.code).toBe(0);
    expect(load.out).toContain('  mode    incremental: 1 new log file (log_data/2018/11/2018-11-05-events.json)');
    expect(stepsRun(load.out)).toEqual(statements.map((statement) => statement.step));
  });
});

describe('sparkify plan refuses what means nothing', () => {
  it('--incremental with --full', async () => {
    const { code, err } = await sparkify('plan', '--incremental', '--full', '--db', path.join(workDir, 'x'));
    expect(code).toBe(1);
    expect(err).toContain("option '--incremental' cannot be used with option '--full'");
  });

  it('--source without --incremental', async () => {
    const { code, err } = await sparkify('plan', '--source', 'sample', '--db', path.join(workDir, 'x'));
    expect(code).toBe(1);
    expect(err).toBe(
      "error: --source is read only with --incremental (a full load's SQL does not depend on the files): drop it or add --incremental",
    );
  });
});
