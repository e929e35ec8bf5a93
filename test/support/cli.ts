import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../cli/main';
import { PROJECT_ROOT } from '../../lib/config/project-config';

export interface CliRun {
  readonly code: number;
  /** Standard output, lines joined. */
  readonly out: string;
  readonly outLines: readonly string[];
  readonly err: string;
}

/** The sparkify CLI in this process, its output captured. */
export async function runCli(...args: string[]): Promise<CliRun> {
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

/**
 * The sparkify bin in a process of its own, as a user runs it: with `env` added to this process's,
 * and run as another user through `runuser` when `asUser` is given. Resolves whatever its exit code.
 */
export async function runBin(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; asUser?: string } = {},
): Promise<BinRun> {
  const command = [process.execPath, path.join(PROJECT_ROOT, 'bin/sparkify.mjs'), ...args];
  const [file, ...rest] = options.asUser ? ['runuser', '-u', options.asUser, '--', ...command] : command;
  return promisify(execFile)(file ?? process.execPath, rest, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
