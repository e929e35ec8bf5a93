import { spawnSync, fork } from 'node:child_process';
import { chown, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { clonePgliteFolder } from '../../local/engine';
import { removeOrphanedCopies } from '../../local/read-copy';

// A reader copies the whole warehouse (staging included) into /dev/shm or the temp folder: the copy
// must go however the reader ends, and the next reader's cleanup must touch only its own user's.
let workDir: string;
let warehouse: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-read-copy-'));
  warehouse = path.join(workDir, 'db');
  await clonePgliteFolder(inject('pgliteTemplate'), warehouse);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const exists = (where: string) =>
  lstat(where).then(
    () => true,
    () => false,
  );

/**
 * A reader in a process of its own: opens the warehouse, reports its copy, then either exits without
 * closing it or runs a query that holds the main thread for minutes, as a long query does.
 */
async function reader(then: 'query' | 'exit'): Promise<{ copy: string; pid: number; ended: Promise<NodeJS.Signals | number | null> }> {
  const script = path.join(workDir, `reader-${then}.mts`);
  await writeFile(
    script,
    `const { openWarehouse } = await import(${JSON.stringify(path.resolve('local/warehouse.ts'))});
     const opened = await openWarehouse(${JSON.stringify(warehouse)}, { access: 'read', activity: 'test', waitMs: 10_000, inPlace: false });
     process.send(opened.engine.location, () => ${
       then === 'exit' ? 'process.exit(0)' : "opened.engine.query('SELECT COUNT(*) FROM generate_series(1, 1000000000000)')"
     });`,
  );
  const child = fork(script, { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
  const ended = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const location = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)));
    child.once('exit', (code) => reject(new Error(`the reader exited with ${code} before opening the warehouse`)));
  });
  const copy = path.dirname(location);
  expect(path.basename(copy)).toMatch(/^sparkify-read-\d+-/);
  expect(await exists(copy)).toBe(true);
  return { copy, pid: child.pid ?? 0, ended };
}

/** The copy is removed by a process of its own once the reader has ended: waited for, up to a ceiling that catches a hang. */
const removed = (copy: string) => vi.waitFor(async () => expect(await exists(copy)).toBe(false), { timeout: 240_000, interval: 50 });

describe("a reader's copy", () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    'is removed when a reader in a long query is stopped with %s, which ends it at once',
    async (signal) => {
      const { copy, pid, ended } = await reader('query');
      process.kill(pid, signal);
      expect(await ended).toBe(signal);
      await removed(copy);
    },
  );

  it('is removed when the reader exits without closing the warehouse', async () => {
    const { copy, ended } = await reader('exit');
    expect(await ended).toBe(0);
    await removed(copy);
  });
});

describe('the cleanup of copies readers killed with kill -9 left behind', () => {
  it("removes this user's, and leaves another user's, a live reader's and a link", async () => {
    const root = path.join(workDir, 'copies');
    await mkdir(root);
    const dead = spawnSync('true').pid;
    const mine = path.join(root, `sparkify-read-${dead}-mine`);
    const theirs = path.join(root, `sparkify-read-${dead}-theirs`);
    const live = path.join(root, `sparkify-read-${process.ppid}-live`);
    const link = path.join(root, `sparkify-read-${dead}-link`);
    for (const copy of [mine, theirs, live]) {
      await mkdir(path.join(copy, 'db'), { recursive: true });
      await writeFile(path.join(copy, 'db', 'PG_VERSION'), '17');
    }
    await symlink(theirs, link);
    // Another user's copy where there is another user to own it (as root: nobody).
    const asRoot = process.getuid?.() === 0;
    if (asRoot)
      for (const where of [theirs, path.join(theirs, 'db'), path.join(theirs, 'db', 'PG_VERSION')]) await chown(where, 65534, 65534);
    await removeOrphanedCopies(root);
    const left = (await readdir(root)).sort();
    expect(left).toEqual([asRoot ? theirs : undefined, live, link].flatMap((where) => (where ? [path.basename(where)] : [])).sort());
    if (asRoot) expect(await readdir(path.join(theirs, 'db'))).toEqual(['PG_VERSION']);
  });
});
