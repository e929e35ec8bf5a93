import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY, loadCli, staleness } from '../../bin/build-cli.mjs';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { runBin } from '../support/cli';

// The CLI runs as JavaScript built from cli/ (bin/build-cli.mjs, npm's prepare), never compiled on
// each run, and never as a build older than its sources.
describe('the built CLI', () => {
  it('is current once the tests have set up, and is what bin/sparkify.mjs and runCli load', async () => {
    expect(staleness()).toBeUndefined();
    const loaded = await loadCli((line) => {
      throw new Error(line);
    });
    expect(loaded).toBe(await import(/* @vite-ignore */ pathToFileURL(ENTRY).href));
    const { code, stdout, stderr } = await runBin(['--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: sparkify \[options\] \[command\]/);
  });
});

/** The packages a built module and the chunks it imports statically load before any of its code runs. */
async function staticPackages(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = await readFile(file, 'utf8');
  for (const [, from] of text.matchAll(/^import\s[^;]*?from\s*"([^"]+)";?$/gms)) {
    if (!from || from.startsWith('node:')) continue;
    if (from.startsWith('.')) for (const name of await staticPackages(path.join(path.dirname(file), from), seen)) packages.add(name);
    else packages.add(from);
  }
  return packages;
}

describe("the built CLI's start", () => {
  // `sparkify --help` answers in about 0.1 s over node -e 0 (npm run bench): what a command needs is loaded when it runs.
  it('loads no engine, SQL parser or AWS SDK before a command asks for one', async () => {
    const loaded = [...(await staticPackages(ENTRY))].sort();
    expect(loaded.filter((name) => /^(@aws-sdk|@electric-sql|libpg-query|pg|pg-copy-streams)(\/|$)/.test(name))).toEqual([]);
    expect(loaded).toContain('commander');
  });
});

describe('a checkout whose sources changed since the build', () => {
  let root: string;
  const run = (args: readonly string[]) =>
    promisify(execFile)(process.execPath, [path.join(root, 'bin', 'sparkify.mjs'), ...args], { cwd: root }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const state = async () =>
    (
      await promisify(execFile)(process.execPath, [
        '--input-type=module',
        '-e',
        `const { staleness } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'bin', 'build-cli.mjs')).href)}); process.stdout.write(staleness() ?? 'current')`,
      ])
    ).stdout;
  const describeAs = async (words: string) => {
    const main = path.join(root, 'cli', 'main.ts');
    const text = await readFile(main, 'utf8');
    await writeFile(main, text.replace(/\.description\("[^"]*"\)/, `.description("${words}")`));
  };

  // A copy of the sources the CLI is built from (hard links would share their modification times with this checkout's).
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sparkify-built-cli-'));
    for (const entry of ['bin', 'cli', 'lib', 'local', 'lambda', 'tools', 'package.json', 'tsconfig.json']) {
      await cp(path.join(PROJECT_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is built by the first run, rebuilt after an edit before it runs, and says nothing of it', async () => {
    expect(await state()).toBe('the CLI is not built (dist/cli)');
    const first = await run(['--help']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain("Sparkify's warehouse, offline");
    expect(await state()).toBe('current');

    await describeAs('edited since the build');
    expect(await state()).toBe('cli/main.ts changed since the CLI was built');
    const edited = await run(['--help']);
    expect(edited.stderr).toBe('');
    expect(edited.stdout).toContain('edited since the build');
    expect(await state()).toBe('current');
  });

  it('runs the TypeScript through tsx, saying so in one line, where it cannot be rebuilt; never the stale build', async () => {
    await describeAs('edited where the build cannot be written');
    // dist/cli a file: no build can be written there, whoever runs it (root included).
    await rm(path.join(root, 'dist'), { recursive: true, force: true });
    await writeFile(path.join(root, 'dist'), 'not a folder');
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('edited where the build cannot be written');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^sparkify: the CLI is not built \(dist\/cli\) and rebuilding it failed \(.+\): running the TypeScript through tsx instead; 'npm run build' rebuilds it\n$/,
    );
  });
});
