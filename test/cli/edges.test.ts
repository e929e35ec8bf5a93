import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { runCli } from '../support/cli';
import { cloneLoadedSample } from '../support/engine';

// What a user meets at the edges of a load, with the bin in a process of its own as a shell runs it.
const BIN = path.join(PROJECT_ROOT, 'bin/sparkify.mjs');
const STACK_TRACE = /\n\s+at |Error: write|EPIPE/;

let workDir: string;
let db: string;

beforeAll(async () => {
  workDir = await realpath(await mkdtemp(path.join(tmpdir(), 'sparkify-edges-')));
  db = path.join(workDir, 'db');
  await cloneLoadedSample(db);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Every attempt load_history holds of `loadId`, oldest first. */
async function attempts(loadId: string): Promise<string[]> {
  const { code, out, err } = await runCli(
    'query',
    `SELECT outcome FROM load_history WHERE load_id = '${loadId}' ORDER BY load_seq`,
    '--db',
    db,
    '--json',
  );
  expect(err).toBe('');
  expect(code).toBe(0);
  return (JSON.parse(out) as { outcome: string }[]).map((row) => row.outcome);
}

describe('a load whose output is piped into a reader that stops reading', () => {
  it('as `sparkify load | head -3`: commits, prints no trace, exits 0 and leaves the warehouse released', async () => {
    const child = spawn(process.execPath, [BIN, 'load', '--db', db, '--load-id', 'piped'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let err = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (child.stdout.destroyed) return;
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      lines.push(...complete);
      // head -3: three lines read, then the pipe's reading end is closed.
      if (lines.length >= 3) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(lines.slice(0, 3)).toEqual([
      'sparkify load',
      expect.stringMatching(/^ {2}source {2}/),
      expect.stringMatching(/^ {2}engine {2}/),
    ]);
    expect(err).not.toMatch(STACK_TRACE);
    expect(code).toBe(0);
    expect(await attempts('piped')).toEqual(['succeeded']);

    const next = await runCli('load', '--db', db, '--no-queries', '--load-id', 'after-piped');
    expect(next.code).toBe(0);
    expect(next.err).not.toContain('took over');
  });
});

describe('a load interrupted with Ctrl-C', () => {
  it('rolls back, releases the warehouse, says in one sentence what the warehouse still holds, and exits 130', async () => {
    const before = await runCli(
      'query',
      "SELECT load_id FROM load_history WHERE outcome = 'succeeded' ORDER BY load_seq DESC LIMIT 1",
      '--db',
      db,
      '--json',
    );
    const [held] = JSON.parse(before.out) as { load_id: string }[];
    const child = spawn(process.execPath, [BIN, 'load', '--db', db, '--load-id', 'interrupted'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The first step's progress line: the load is in its transaction.
      if (/^ +\d+ ms {2}\S/m.test(out) && !child.killed) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(child.killed).toBe(true);
    expect(err).toMatch(
      new RegExp(
        `^interrupted: load interrupted was rolled back; the warehouse still holds load ${held?.load_id} of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\n$`,
      ),
    );
    expect(code).toBe(130);
    expect(out).not.toContain('Loaded interrupted');
    expect(await attempts('interrupted')).toEqual(['failed']);

    const next = await runCli('load', '--db', db, '--no-queries', '--load-id', 'after-interrupted');
    expect(next.code).toBe(0);
    expect(next.err).not.toContain('took over');
  });
});

describe("a load's duration", () => {
  it('is printed as the user waited for it, beside the transaction time load_history records and the report shows', async () => {
    const load = await runCli('load', '--db', db, '--no-queries', '--load-id', 'timed');
    expect(load.code, load.err).toBe(0);
    const last = load.out.split('\n').at(-1) ?? '';
    const match = /^Loaded timed in ([\d.]+) (ms|s) \((\d+) s in its transaction, as load_history records it\)\. Query it: /.exec(last);
    expect(match, last).not.toBeNull();
    const total = Number(match?.[1]) * (match?.[2] === 's' ? 1 : 0.001);
    const transaction = Number(match?.[3]);
    expect(total).toBeGreaterThan(transaction - 1); // load_history keeps whole seconds (GETDATE())

    const recent = await runCli('query', 'recent_loads', '--db', db, '--json');
    const row = (JSON.parse(recent.out) as { load_id: string; transaction_seconds: number }[]).find((r) => r.load_id === 'timed');
    expect(row?.transaction_seconds).toBe(transaction);
  });
});
