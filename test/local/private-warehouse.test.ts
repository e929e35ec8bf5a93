import { execFile } from 'node:child_process';
import { chmod, lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../local/warehouse';

// A warehouse folder is its owner's alone (issue 21): PGlite creates its files with the process's
// umask, so under the usual 022 every user of the machine could read the WAL and the catalog.
// Built here under umask 000, the worst case: PGlite then creates 0666 files and 0777 folders.

let workDir: string;
let warehouse: string;
const asRoot = process.getuid?.() === 0;

/** Every entry under `dir` (itself included) as "d 700" / "f 600", with how many have it. */
async function modes(dir: string): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  const visit = async (where: string) => {
    const stats = await lstat(where);
    const key = `${stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : 'f'} ${(stats.mode & 0o7777).toString(8)}`;
    seen[key] = (seen[key] ?? 0) + 1;
    if (stats.isDirectory()) for (const name of await readdir(where)) await visit(path.join(where, name));
  };
  await visit(dir);
  return seen;
}

/** Runs `command` as the user nobody; its exit code and standard error. */
async function asNobody(...command: string[]): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)('runuser', ['-u', 'nobody', '--', ...command]).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-private-'));
  // The warehouse's parent is open to all, so only the warehouse's own modes can keep another user out.
  await chmod(workDir, 0o755);
  warehouse = path.join(workDir, 'db');
  const umask = process.umask(0);
  try {
    const opened = await openWarehouse(warehouse, { access: 'write', activity: 'test', waitMs: 0 });
    try {
      // Files made during the session: new relations, more WAL.
      await opened.engine.exec(
        'CREATE TABLE secrets (note TEXT); INSERT INTO secrets SELECT repeat(md5(g::text), 20) FROM generate_series(1, 5000) AS g',
      );
      // Until the engine closes, the folder itself keeps every other user out.
      expect((await lstat(warehouse)).mode & 0o7777).toBe(0o700);
    } finally {
      await opened.close();
    }
  } finally {
    process.umask(umask);
  }
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('a new warehouse folder, made under umask 000', () => {
  it('holds only folders 0700 and files 0600 once closed', async () => {
    const found = await modes(warehouse);
    expect(Object.keys(found).sort()).toEqual(['d 700', 'f 600']);
    expect(found['f 600']).toBeGreaterThan(900);
  });

  it('is made owner-only again when opened for writing, whatever its modes were', async () => {
    await promisify(execFile)('chmod', ['-R', 'a+rwX', warehouse]);
    const opened = await openWarehouse(warehouse, { access: 'write', activity: 'test', waitMs: 0 });
    try {
      // What PGlite creates while open has the umask's modes, inside a folder no other user can enter.
      expect((await lstat(warehouse)).mode & 0o7777).toBe(0o700);
      expect((await modes(warehouse))['f 666']).toBeUndefined();
    } finally {
      await opened.close();
    }
    expect(Object.keys(await modes(warehouse)).sort()).toEqual(['d 700', 'f 600']);
  });

  it("leaves a read-only warehouse read-only, and a reader's copy owner-only", async () => {
    await promisify(execFile)('chmod', ['-R', 'a-w', warehouse]);
    try {
      const reader = await openWarehouse(warehouse, { access: 'read', activity: 'test', waitMs: 0 });
      try {
        // The copy's own folder keeps others out; what it copied is 0700 and 0600 (PGlite adds files while open).
        const copy = path.dirname(reader.engine.location);
        expect((await lstat(copy)).mode & 0o7777).toBe(0o700);
        const copied = await modes(copy);
        expect(Object.keys(copied).filter((mode) => !['d 700', 'f 600', 'f 644'].includes(mode))).toEqual([]);
        expect(copied['f 600']).toBeGreaterThan(900);
      } finally {
        await reader.close();
      }
      expect(Object.keys(await modes(warehouse)).sort()).toEqual(['d 500', 'f 400']);
    } finally {
      await promisify(execFile)('chmod', ['-R', 'u+w', warehouse]);
    }
  });

  // Proved by another user where there is one to be (as root: the user nobody), else by the modes.
  it('lets another user read nothing in it', async () => {
    const wal = (await readdir(path.join(warehouse, 'pg_wal'))).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(wal.length).toBeGreaterThan(0);
    const files = ['PG_VERSION', 'global/pg_control', 'postgresql.conf', ...wal.map((name) => `pg_wal/${name}`)];
    if (!asRoot) {
      for (const name of ['', 'global', 'pg_wal', ...files]) expect((await lstat(path.join(warehouse, name))).mode & 0o077, name).toBe(0);
      return;
    }
    const beside = path.join(workDir, 'beside.txt');
    await writeFile(beside, 'readable');
    await chmod(beside, 0o644);
    // The other user reaches the warehouse's parent: only the warehouse keeps it out.
    expect(await asNobody('cat', beside)).toMatchObject({ code: 0 });
    const refused = async (...command: string[]) => {
      const attempt = await asNobody(...command);
      expect(attempt.code, command.join(' ')).not.toBe(0);
      expect(attempt.stderr, command.join(' ')).toMatch(/Permission denied/);
    };
    await refused('ls', warehouse);
    for (const name of files) await refused('cat', path.join(warehouse, name));
    // Were the folder opened to all by hand, what is in it would still be closed to others.
    await chmod(warehouse, 0o755);
    try {
      await refused('ls', path.join(warehouse, 'pg_wal'));
      for (const name of files) await refused('cat', path.join(warehouse, name));
    } finally {
      await chmod(warehouse, 0o700);
    }
  });
});
