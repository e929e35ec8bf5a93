import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadCli } from '../../bin/build-cli.mjs';
import { PROJECT_ROOT } from '../../lib/config/project-config';

export interface CliRun {
  readonly code: number;
  /** Standard output, lines joined. */
  readonly out: string;
  readonly outLines: readonly string[];
  readonly err: string;
}

let built: ReturnType<typeof loadCli> | undefined;

/**
 * The sparkify CLI in this process, its output captured: the built CLI that bin/sparkify.mjs runs
 * (dist/cli, built by the global setup, rebuilt here if a source changed since), not its TypeScript.
 * A build that cannot be made fails the test instead of falling back to tsx as the bin would.
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  built ??= loadCli((line) => {
    throw new Error(line);
  });
  const { main } = await built;
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'sparkify', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), outLines: out, err: err.join('\n') };
}

export interface BinRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Another user of the machine, with the copy of this checkout it runs the bin from (otherUser). */
export interface OtherUser {
  readonly name: string;
  /** The copy's root, where bin/sparkify.mjs is. */
  readonly root: string;
  /** A node binary the user can run. */
  readonly node: string;
  /** Removes the copy. */
  remove(): Promise<void>;
}

/**
 * The user `name` (root only: `runuser`), with a copy of this checkout it can reach. A checkout
 * cloned into a private folder, as `mktemp -d` makes (0700), is out of any other user's reach, and
 * so is a node installed under root's home: both are copied into a folder of the temp folder that
 * every user can enter, as hard links where the file system allows (node_modules' ~30,000 entries
 * in ~2 s), else as files. The copy runs the same code: what the user may do with a warehouse is
 * decided by the warehouse's own modes, as before.
 */
export async function otherUser(name: string): Promise<OtherUser> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparkify-checkout-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await chmod(dir, 0o755);
    const root = path.join(dir, 'checkout');
    await mkdir(root);
    // Everything but what git and the tools keep for themselves (.git, cdk.out, .sparkify, ...).
    for (const entry of await readdir(PROJECT_ROOT)) {
      if (!entry.startsWith('.') && entry !== 'cdk.out') await linkOrCopy(path.join(PROJECT_ROOT, entry), path.join(root, entry));
    }
    let node = process.execPath;
    if (!(await canRun(name, node))) {
      node = path.join(dir, 'node');
      await linkOrCopy(process.execPath, node);
    }
    return { name, root, node, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await promisify(execFile)('cp', ['-al', from, to]).catch(() => promisify(execFile)('cp', ['-a', from, to]));
}

async function canRun(user: string, file: string): Promise<boolean> {
  return promisify(execFile)('runuser', ['-u', user, '--', 'test', '-x', file]).then(
    () => true,
    () => false,
  );
}

/**
 * The sparkify bin in a process of its own, as a user runs it: with `env` added to this process's,
 * and as another user (through `runuser`, from its copy of the checkout) when `asUser` is given.
 * Resolves whatever its exit code.
 */
export async function runBin(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; asUser?: OtherUser } = {},
): Promise<BinRun> {
  const user = options.asUser;
  const command = [user?.node ?? process.execPath, path.join(user?.root ?? PROJECT_ROOT, 'bin/sparkify.mjs'), ...args];
  const [file, ...rest] = user ? ['runuser', '-u', user.name, '--', ...command] : command;
  return promisify(execFile)(file ?? process.execPath, rest, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
