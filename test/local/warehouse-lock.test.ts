import { execFileSync, fork } from 'node:child_process';
import { chown, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockBusyError, LockFileError, WarehouseLock, type LockHolder } from '../../local/warehouse-lock';

let dir: string;
let lockPath: string;
const held: WarehouseLock[] = [];
const take = async (
  mode: 'exclusive' | 'shared',
  activity = 'load test',
  waitMs = 0,
  onBusy?: (holder: LockHolder | undefined) => void,
) => {
  const lock = await WarehouseLock.acquire(lockPath, mode, activity, { waitMs, onBusy, reportEveryMs: 50 });
  held.push(lock);
  return lock;
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-lock-'));
  lockPath = path.join(dir, 'db.lock');
});

afterEach(async () => {
  for (const lock of held.splice(0)) lock.release();
  await rm(dir, { recursive: true, force: true });
});

describe('WarehouseLock', () => {
  it('lets one writer in and tells the next who holds it: activity, pid, since', async () => {
    await take('exclusive', 'load first');
    const busy = await take('exclusive', 'load second').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(LockBusyError);
    const holder = (busy as LockBusyError).holder;
    expect(holder).toMatchObject({ activity: 'load first', pid: process.pid });
    expect(Date.parse(holder?.since ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps readers out while a writer holds it, and the writer out while a reader does', async () => {
    const writer = await take('exclusive');
    await expect(take('shared')).rejects.toBeInstanceOf(LockBusyError);
    writer.release();
    await take('shared');
    await take('shared'); // readers share
    await expect(take('exclusive')).rejects.toMatchObject({ holder: undefined });
  });

  it('waits for a writer to finish, reporting the holder while it waits', async () => {
    const writer = await take('exclusive', 'load slow');
    const seen: (LockHolder | undefined)[] = [];
    setTimeout(() => writer.release(), 300);
    const began = performance.now();
    await take('exclusive', 'load patient', 5_000, (holder) => seen.push(holder));
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    expect(seen[0]?.activity).toBe('load slow');
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ activity: 'load patient', pid: process.pid });
  });

  it('gives up after the wait with the holder in the error', async () => {
    await take('exclusive', 'load long');
    const error = (await take('exclusive', 'load impatient', 200).catch((e: unknown) => e)) as LockBusyError;
    expect(error).toBeInstanceOf(LockBusyError);
    expect(error.waitedMs).toBeGreaterThanOrEqual(200);
    expect(error.holder?.activity).toBe('load long');
  });

  it('empties its record on release, so the next holder takes over from nobody', async () => {
    (await take('exclusive', 'load clean')).release();
    expect(await readFile(lockPath, 'utf8')).toBe('');
    expect((await take('exclusive')).tookOverFrom).toBeUndefined();
  });

  it('is released by the kernel when its process is killed, and the next holder names the dead one', async () => {
    const script = `
      const { WarehouseLock } = await import(${JSON.stringify(path.resolve('local/warehouse-lock.ts'))});
      await WarehouseLock.acquire(${JSON.stringify(lockPath)}, 'exclusive', 'load victim', { waitMs: 0 });
      process.send('locked');
      setInterval(() => {}, 1000);`;
    const scriptPath = path.join(dir, 'holder.mts');
    await writeFile(scriptPath, script);
    const child = fork(scriptPath, { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    await expect(take('exclusive')).rejects.toMatchObject({ holder: { activity: 'load victim', pid: child.pid } });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = await take('exclusive', 'load survivor', 5_000);
    expect(lock.tookOverFrom).toMatchObject({ activity: 'load victim', pid: child.pid });
  });

  describe('a lock file that is not a regular file of yours', () => {
    const refused = (what: string) =>
      new RegExp(
        `^the lock file .+db\\.lock is ${what}, and sparkify locks only a regular file of yours there: remove it \\(rm .+db\\.lock\\) and run again$`,
      );

    it('a link is never followed: its target keeps its content, a missing target is not created', async () => {
      const victim = path.join(dir, 'victim');
      await writeFile(victim, 'precious');
      await symlink(victim, lockPath);
      for (const mode of ['exclusive', 'shared'] as const) {
        const error = await take(mode).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LockFileError);
        expect((error as Error).message).toMatch(refused('a link'));
      }
      expect(await readFile(victim, 'utf8')).toBe('precious');
      await rm(lockPath);
      const missing = path.join(dir, 'not-there');
      await symlink(missing, lockPath);
      await expect(take('exclusive')).rejects.toBeInstanceOf(LockFileError);
      await expect(lstat(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('a FIFO: refused, without waiting on it', async () => {
      execFileSync('mkfifo', [lockPath]);
      for (const mode of ['exclusive', 'shared'] as const) await expect(take(mode)).rejects.toThrow(refused('not a regular file'));
    });

    // Another user's file: as root, one chowned to nobody; otherwise this user's own file must still be taken.
    it("another user's: a writer refuses it, a reader may share it", async () => {
      await writeFile(lockPath, '');
      if (process.getuid?.() === 0) {
        await chown(lockPath, 65534, 65534);
        await expect(take('exclusive')).rejects.toThrow(refused("another user's \\(uid 65534\\)"));
        expect(await readFile(lockPath, 'utf8')).toBe('');
      } else {
        (await take('exclusive')).release();
      }
      await take('shared');
    });
  });
});
