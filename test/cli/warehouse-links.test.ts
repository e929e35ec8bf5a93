import { chmod, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { clonePgliteFolder } from '../../local/engine';
import { runCli } from '../support/cli';

// A link beside or inside a warehouse folder reaches nothing outside it (issue 21): in a shared
// folder such as /tmp, anyone may plant <folder>.lock, and a warehouse folder may come from anyone.
let workDir: string;
let victim: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-links-'));
  victim = path.join(workDir, 'victim.txt');
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** The victim, fresh: its content and mode, to compare after. */
async function freshVictim(): Promise<{ content: string; mode: number }> {
  await writeFile(victim, 'precious');
  await chmod(victim, 0o640);
  return state();
}

async function state(): Promise<{ content: string; mode: number }> {
  return { content: await readFile(victim, 'utf8'), mode: (await lstat(victim)).mode & 0o7777 };
}

function expectOneSentence(err: string, pattern: RegExp): void {
  expect(err).toMatch(pattern);
  expect(err.split('\n')).toHaveLength(1);
}

describe('a link at <folder>.lock', () => {
  it('a --write query and a load exit 2 naming the lock file and the fix; the target keeps its content', async () => {
    const before = await freshVictim();
    const db = path.join(workDir, 'dbsym');
    await symlink(victim, `${db}.lock`);
    for (const command of [
      ['query', '--write', 'CREATE TABLE t (a INT)'],
      ['load', '--no-queries'],
    ]) {
      const { code, err } = await runCli(...command, '--db', db);
      expect(code).toBe(2);
      expectOneSentence(
        err,
        /^error: the lock file .+dbsym\.lock is a link, and sparkify locks only a regular file of yours there: remove it \(rm .+dbsym\.lock\) and run again$/,
      );
    }
    expect(await state()).toEqual(before);
    // Nothing was made either: the folder waits for a lock it can take.
    await expect(lstat(db)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a link inside a warehouse folder', () => {
  it('a query and a --write query refuse it, naming it; its target keeps its mode and content', async () => {
    const before = await freshVictim();
    const db = path.join(workDir, 'crafted');
    await clonePgliteFolder(inject('pgliteTemplate'), db);
    await symlink(victim, path.join(db, 'base', 'sneaky'));
    for (const command of [
      ['query', 'SELECT 1'],
      ['query', '--write', 'CREATE TABLE t (a INT)'],
    ]) {
      const { code, err } = await runCli(...command, '--db', db);
      expect(code, command.join(' ')).toBe(2);
      expectOneSentence(
        err,
        /^error: the warehouse at .+crafted cannot be kept its owner's alone: .+crafted\/base\/sneaky is a link \(to .+victim\.txt\), and sparkify follows no link in a warehouse folder: remove the link$/,
      );
    }
    expect(await state()).toEqual(before);
  });
});
