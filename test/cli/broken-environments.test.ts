import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherUser, runBin, runCli } from '../support/cli';
import { cloneLoadedSample } from '../support/engine';

// Each broken environment gets one sentence on stderr, exit status 1 (the user's input) or 2 (the
// machine), and no stack trace.
let workDir: string;
let warehouse: string;

const sparkify = runCli;

function expectOneSentence(err: string, pattern: RegExp): void {
  expect(err).toMatch(pattern);
  expect(err.split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at |\[object Object\]/);
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-broken-'));
  warehouse = path.join(workDir, 'warehouse');
  await cloneLoadedSample(warehouse);
});

afterAll(async () => {
  await chmod(workDir, 0o700).catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
});

describe('--db that cannot be a warehouse', () => {
  it('a file: exit 1, says so and how to give a folder', async () => {
    const file = path.join(workDir, 'notes.txt');
    await writeFile(file, 'not a warehouse');
    for (const command of [
      ['load', '--no-queries'],
      ['query', 'most_active_users'],
    ]) {
      const { code, err } = await sparkify(...command, '--db', file);
      expect(code).toBe(1);
      expectOneSentence(err, /^error: --db .+notes\.txt is a file, not a warehouse folder: give a folder \(it is created when missing\)/);
    }
  });

  it('a folder of other files: exit 1, and nothing is written into it', async () => {
    const folder = path.join(workDir, 'documents');
    await mkdir(folder);
    await writeFile(path.join(folder, 'report.txt'), 'mine');
    const { code, err } = await sparkify('load', '--db', folder, '--no-queries');
    expect(code).toBe(1);
    expectOneSentence(
      err,
      /^error: --db .+documents is a folder that is not a warehouse \(it holds 1 other entry and no PG_VERSION\), and sparkify will not write into it/,
    );
    expect(await readdir(folder)).toEqual(['report.txt']);
  });

  it('a damaged warehouse: exit 2, says it is damaged and how to start fresh', async () => {
    const damaged = path.join(workDir, 'damaged');
    await cp(warehouse, damaged, { recursive: true });
    await writeFile(path.join(damaged, 'global/pg_control'), Buffer.alloc(8192, 0x5a));
    for (const command of [
      ['load', '--no-queries'],
      ['query', 'most_active_users'],
    ]) {
      const { code, err } = await sparkify(...command, '--db', damaged);
      expect(code).toBe(2);
      expectOneSentence(
        err,
        /^error: the warehouse at .+damaged is damaged and cannot be opened \(.+\)\. Start fresh and keep it: move it away \(mv (.+) \1\.damaged\), then run 'npx sparkify load --db .+'\.$/,
      );
    }
  });

  it('a warehouse whose write-ahead log is gone: exit 2, damaged, not "Aborted()" alone', async () => {
    const noWal = path.join(workDir, 'no-wal');
    await cp(warehouse, noWal, { recursive: true });
    for (const name of await readdir(path.join(noWal, 'pg_wal')))
      if (/^[0-9A-F]{24}$/.test(name)) await rm(path.join(noWal, 'pg_wal', name));
    const { code, err } = await sparkify('load', '--db', noWal, '--no-queries');
    expect(code).toBe(2);
    expectOneSentence(err, /^error: the warehouse at .+no-wal is damaged and cannot be opened \(Aborted\(\)\)\. Start fresh/);
  });

  it.each(['never-loaded', 'no-such-parent/never-loaded'])('no warehouse yet (%s): a query says to load first, exit 1', async (name) => {
    const { code, err } = await sparkify('query', 'most_active_users', '--db', path.join(workDir, name));
    expect(code).toBe(1);
    expectOneSentence(err, /^error: --db .+never-loaded: no warehouse there yet; run 'npx sparkify load --db .+never-loaded' first$/);
  });

  // Root passes the kernel's permission checks, but PGlite's file system refuses any entry without a
  // write bit (local/warehouse.ts writeRefusal): root was told such a folder was damaged, and to rm -rf it.
  it.each([
    ['chmod -R a-w', ['-R', 'a-w']],
    ['chmod a-w on the folder alone', ['a-w']],
  ])('a warehouse made read-only (%s): a load by whoever runs the tests, root too, says read-only, not damaged', async (_name, mode) => {
    const readOnly = path.join(workDir, `read-only-${mode.length}`);
    await cp(warehouse, readOnly, { recursive: true });
    try {
      await execFile_('chmod', [...mode, readOnly]);
      const { code, err } = await sparkify('load', '--db', readOnly, '--no-queries');
      expect(code).toBe(2);
      expectOneSentence(
        err,
        /^error: the warehouse at .+ is read-only \(.+: (no write permission, mode 0[0-7]{3}|EACCES)\): a load needs to write there; make it writable \(chmod -R u\+w .+\) or load into another folder with --db\. Queries still work on it\.$/,
      );
      expect(err).not.toMatch(/damaged|rm -rf/);
    } finally {
      await execFile_('chmod', ['-R', 'u+w', readOnly]);
    }
  });

  // As root every folder is writable, so the read-only case runs as an unprivileged user when it can.
  it('a read-only warehouse: a load exits 2 naming the folder and the fix; a query still answers', async () => {
    const shared = await mkdtemp(path.join(tmpdir(), 'sparkify-readonly-'));
    const asUser = process.getuid?.() === 0 ? await otherUser('nobody') : undefined;
    try {
      const readOnly = path.join(shared, 'warehouse');
      await cp(warehouse, readOnly, { recursive: true });
      await chmod(shared, 0o1777); // the lock file beside it may be created by the other user
      await execFile_('chmod', ['-R', 'a+rX,a-w', readOnly]);
      const run = (...args: string[]) =>
        runBin(args, { cwd: tmpdir(), asUser }).then(({ code, stdout, stderr }) => ({ code, out: stdout, err: stderr }));
      const load = await run('load', '--db', readOnly, '--no-queries');
      expect(load.code).toBe(2);
      expectOneSentence(
        load.err.trim(),
        /^error: the warehouse at .+ is read-only \(.+: EACCES\): a load needs to write there; make it writable \(chmod -R u\+w .+\) or load into another folder with --db\. Queries still work on it\.$/,
      );
      const query = await run('query', 'SELECT COUNT(*) AS n FROM users', '--db', readOnly, '--json');
      expect(query.err).toBe('');
      expect(query.code).toBe(0);
      expect(JSON.parse(query.out)[0].n).toBeGreaterThan(0);
    } finally {
      await execFile_('chmod', ['-R', 'u+w', shared]);
      await rm(shared, { recursive: true, force: true });
      await asUser?.remove();
    }
  });
});

const execFile_ = promisify(execFile);

describe('--source that cannot be a bucket', () => {
  it.each([
    [
      'missing',
      async () => path.join(workDir, 'no-such-source'),
      /^error: --source .+no-such-source: no such folder; give a folder laid out like the bucket/,
    ],
    ['a file', async () => path.join(workDir, 'warehouse.lock'), /^error: --source .+ is a file; give a folder laid out like the bucket/],
    [
      'empty',
      async () => {
        const empty = path.join(workDir, 'empty-source');
        await mkdir(empty, { recursive: true });
        return empty;
      },
      /^error: --source .+empty-source is empty; give a folder laid out like the bucket .+ e\.g\. one written by 'npx sparkify generate'$/,
    ],
  ])('%s: exit 1, one sentence, the warehouse untouched', async (_name, makeSource, pattern) => {
    const { code, err } = await sparkify('load', '--source', await makeSource(), '--db', warehouse, '--no-queries');
    expect(code).toBe(1);
    expectOneSentence(err, pattern);
    expect((await sparkify('query', 'SELECT COUNT(*) AS n FROM songplays', '--db', warehouse, '--json')).code).toBe(0);
  });
});
