import { fork } from 'node:child_process';
import { chown, lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clonePgliteFolder } from '../../local/engine';
import { cloneLoadedSample } from '../support/engine';
import { actAs, lockPathOf, openWarehouse, WarehouseError, type OpenWarehouse } from '../../local/warehouse';
import { LockBusyError, WarehouseLock } from '../../local/warehouse-lock';

// A reader opens the warehouse folder itself when no other process uses it (local/warehouse.ts
// openFolderForReading): no copy, but the folder is then the reader's alone until it closes, in a
// read-only session, and it must leave the data as the last load left it whatever becomes of it.
let workDir: string;
let warehouse: string;
let loaded: number;
const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-read-in-place-'));
  warehouse = path.join(workDir, 'db');
  await cloneLoadedSample(warehouse);
  const reader = await read({ inPlace: false });
  loaded = await plays(reader);
  await reader.close();
  expect(loaded).toBeGreaterThan(0);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const read = (options: { waitMs?: number; inPlace?: boolean } = {}) =>
  openWarehouse(warehouse, { access: 'read', activity: 'test', waitMs: options.waitMs ?? 0, inPlace: options.inPlace });

async function plays(reader: OpenWarehouse): Promise<number> {
  return (await reader.engine.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM songplays')).rows[0]?.n ?? NaN;
}

describe('a reader of a folder no other process uses', () => {
  it('opens the folder itself, in a session PostgreSQL keeps read-only, and leaves the data as it was', async () => {
    const reader = await read();
    try {
      expect(reader.engine.location).toBe(warehouse);
      expect(await plays(reader)).toBe(loaded);
      await expect(reader.engine.exec('DELETE FROM songplays')).rejects.toMatchObject({ code: '25006' });
      // Even a session told to read and write by the SQL it runs stays as the analyst, who may not write.
      await actAs(reader.engine, 'analyst');
      await reader.engine.exec('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE');
      await expect(reader.engine.exec('DELETE FROM songplays')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await reader.close();
    }
    const again = await read();
    try {
      expect(await plays(again)).toBe(loaded);
    } finally {
      await again.close();
    }
  });

  it('holds it alone until it closes: a writer is told a query reads it, another reader waits quietly, then reads it in place', async () => {
    const first = await read();
    const notices: string[] = [];
    let second: Promise<OpenWarehouse> | undefined;
    try {
      const writer = await WarehouseLock.acquire(lockPathOf(warehouse), 'exclusive', 'load test', { waitMs: 0 }).catch((e: unknown) => e);
      expect(writer).toBeInstanceOf(LockBusyError);
      expect((writer as LockBusyError).holder).toBeUndefined();
      const load = openWarehouse(warehouse, { access: 'write', activity: 'load test', waitMs: 300, notice: (line) => notices.push(line) });
      await expect(load).rejects.toThrow(
        new WarehouseError(`the warehouse at ${warehouse} is being read by a query; try again or pass --wait SECONDS (waited 0 s)`, 1),
      );
      expect(notices).toEqual([`waiting for the warehouse at ${warehouse}: a query is reading it (up to --wait 0 s)`]);
      notices.length = 0;
      // Queries started together wait for each other without a word (for the first 10 s).
      second = openWarehouse(warehouse, { access: 'read', activity: 'test', waitMs: 60_000, notice: (line) => notices.push(line) });
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await first.close();
    }
    const reader = await second;
    expect(notices).toEqual([]);
    try {
      expect(reader.engine.location).toBe(warehouse);
      expect(await plays(reader)).toBe(loaded);
    } finally {
      await reader.close();
    }
  });

  it('reads a copy while another reader holds the lock shared (copying), as two readers at once', async () => {
    const copying = await WarehouseLock.acquire(lockPathOf(warehouse), 'shared', 'test', { waitMs: 0 });
    try {
      const reader = await read();
      try {
        expect(path.basename(path.dirname(reader.engine.location))).toMatch(/^sparkify-read-\d+-/);
        expect(await plays(reader)).toBe(loaded);
      } finally {
        await reader.close();
      }
    } finally {
      copying.release();
    }
  });

  it('reads a copy when asked to (inPlace false: a session left open)', async () => {
    const reader = await read({ inPlace: false });
    try {
      expect(reader.engine.location).not.toBe(warehouse);
      expect(await plays(reader)).toBe(loaded);
    } finally {
      await reader.close();
    }
  });

  it('killed with SIGKILL in the middle of a query, leaves a folder the next reader and writer open with the same data', async () => {
    const script = path.join(workDir, 'reader.mts');
    await writeFile(
      script,
      `const { openWarehouse } = await import(${JSON.stringify(path.resolve('local/warehouse.ts'))});
       const opened = await openWarehouse(${JSON.stringify(warehouse)}, { access: 'read', activity: 'test', waitMs: 10_000 });
       process.send(opened.engine.location, () => opened.engine.query('SELECT COUNT(*) FROM generate_series(1, 1000000000000)'));`,
    );
    const child = fork(script, { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    const ended = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const location = await new Promise((resolve) => child.once('message', resolve));
    expect(location).toBe(warehouse);
    child.kill('SIGKILL');
    expect(await ended).toBe('SIGKILL');
    const reader = await read({ waitMs: 10_000 });
    try {
      expect(reader.engine.location).toBe(warehouse);
      expect(await plays(reader)).toBe(loaded);
    } finally {
      await reader.close();
    }
    const writer = await openWarehouse(warehouse, { access: 'write', activity: 'test', waitMs: 0 });
    try {
      expect(await plays(writer)).toBe(loaded);
    } finally {
      await writer.close();
    }
  });
});

// Root may write anything, so a warehouse of another user's is proved as root, with the user nobody's.
describe.runIf(asRoot)("another user's warehouse", () => {
  it('is read from a copy: nothing of this user is created in it', async () => {
    const theirs = path.join(workDir, 'theirs');
    await clonePgliteFolder(warehouse, theirs);
    const entries = [theirs, ...(await readdir(theirs, { recursive: true })).map((entry) => path.join(theirs, entry))];
    for (const where of entries) await chown(where, 65534, 65534);
    const reader = await openWarehouse(theirs, { access: 'read', activity: 'test', waitMs: 0 });
    try {
      expect(reader.engine.location).not.toBe(theirs);
      expect(await plays(reader)).toBe(loaded);
    } finally {
      await reader.close();
    }
    const after = [theirs, ...(await readdir(theirs, { recursive: true })).map((entry) => path.join(theirs, entry))];
    for (const where of after) expect((await lstat(where)).uid, where).toBe(65534);
  });
});
