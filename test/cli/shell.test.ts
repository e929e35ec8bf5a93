import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { ANALYST_USER, LOADER_USER } from '../../lib/rules/database-identities';
import { runCli, type BinRun } from '../support/cli';
import { cloneLoadedSample } from '../support/engine';
import { PtySession } from '../support/pty';

// Issue 22 item 2: `sparkify shell`, driven as a user drives it, on a terminal (a pseudo-terminal)
// and from a pipe: one session for many statements, named queries, \d, the gate and the identities of `query`.
let workDir: string;
let db: string;
let historyPath: string;
const sessions: PtySession[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-shell-'));
  db = path.join(workDir, 'db');
  historyPath = path.join(workDir, 'history');
  await cloneLoadedSample(db);
});

afterEach(() => {
  // A session a failed test left open must not hold the warehouse for the next.
  for (const session of sessions.splice(0)) session.kill();
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const ENV = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: workDir, SPARKIFY_HISTORY: historyPath });
const BIN = path.join(PROJECT_ROOT, 'bin/sparkify.mjs');
/** The prompt, at the end of what the terminal shows: the shell waits for a line. */
const READY = /sparkify[=-]> $/;

function shell(...args: string[]): PtySession {
  const session = PtySession.start([process.execPath, BIN, 'shell', '--db', db, ...args], { cwd: workDir, env: ENV() });
  sessions.push(session);
  return session;
}

/** Types a line and waits for the next prompt; returns what the terminal showed meanwhile. */
async function enter(session: PtySession, line: string): Promise<string> {
  session.type(`${line}\r`);
  return session.waitFor(READY);
}

/** The sample session of docs/cli.md's "The shell": what is typed after each prompt, and the whole of what the terminal shows. */
async function sampleSession(): Promise<{ readonly typed: readonly string[]; readonly shown: string }> {
  const doc = await readFile(path.join(PROJECT_ROOT, 'docs/cli.md'), 'utf8');
  const block = /```text\n\$ npx sparkify shell\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/cli.md has no sample session beginning '$ npx sparkify shell' in a text block");
  const typed = block
    .split('\n')
    .filter((line) => /^sparkify[=-]> /.test(line))
    .map((line) => line.slice('sparkify=> '.length));
  return { typed, shown: block };
}

describe('sparkify shell on a terminal', () => {
  it('shows the sample session of docs/cli.md: several statements, \\d, \\d songplays, a named query, a multi-line statement, a refusal and an engine error and what follows them, \\q', async () => {
    const { typed, shown } = await sampleSession();
    expect(typed).toEqual(expect.arrayContaining(['\\d songplays', 'headline', '\\q']));
    const session = shell();
    await session.waitFor(READY);
    for (const line of typed.slice(0, -1)) await enter(session, line);
    session.type(`${typed.at(-1)}\r`);
    expect(await session.exit()).toBe(0);
    // The sample was run on the default warehouse, .sparkify/db of the checkout.
    expect(session.output.split(db).join('/…/.sparkify/db')).toBe(shown);
  });

  it('keeps going after Ctrl-C, recalls the last session with the arrow keys, quits on Ctrl-D, and keeps its history to its owner', async () => {
    await writeFile(historyPath, 'SELECT 41 + 1 AS answer;\n');
    await chmod(historyPath, 0o644);
    const session = shell();
    await session.waitFor(READY);
    // Up recalls the line a session before typed.
    expect(await enter(session, '\x1b[A')).toContain('answer\n------\n    42\n(1 row)\n');
    // Ctrl-C drops the unfinished statement, not the shell.
    expect(await enter(session, 'SELECT 1 AS one')).toMatch(/sparkify-> $/);
    session.type('\x03');
    expect(await session.waitFor(READY)).toMatch(/\^C\nsparkify=> $/);
    const after = await enter(session, 'SELECT 2 AS two;');
    expect(after).toContain('two\n---\n  2\n(1 row)\n');
    expect(after).not.toContain('error');
    session.type('\x04');
    expect(await session.exit()).toBe(0);
    expect((await stat(historyPath)).mode & 0o777).toBe(0o600);
    expect((await readFile(historyPath, 'utf8')).split('\n')).toEqual([
      'SELECT 41 + 1 AS answer;',
      'SELECT 1 AS one',
      'SELECT 2 AS two;',
      '',
    ]);
  });

  it('with --write, runs as the loader and holds the writer lock until it ends', async () => {
    const session = shell('--write');
    expect(await session.waitFor(READY)).toContain(`as ${LOADER_USER} (writes as the loader; loads wait until you quit)`);
    expect(await enter(session, 'SELECT CURRENT_USER AS who;')).toContain(LOADER_USER);
    const meanwhile = await runCli('query', '--write', '--wait', '0', '--db', db, 'SELECT 1 AS one');
    expect(meanwhile.code).toBe(1);
    expect(meanwhile.err).toMatch(/is being used by shell --write \(pid \d+/);
    session.type('\\q\r');
    expect(await session.exit()).toBe(0);
    expect((await runCli('query', '--write', '--wait', '0', '--db', db, 'SELECT 1 AS one')).code).toBe(0);
  });
});

/** The shell with `input` piped to its stdin, as `sparkify shell < file.sql` runs it. */
function pipeToShell(input: string, ...args: string[]): Promise<BinRun> {
  const child = spawn(process.execPath, [BIN, 'shell', '--db', db, ...args], { cwd: workDir, env: ENV() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

describe('sparkify shell from a pipe', () => {
  it('runs the statements of stdin in order, with no prompt, as the analyst', async () => {
    const { code, stdout, stderr } = await pipeToShell(
      ['SELECT CURRENT_USER AS who; SELECT COUNT(*) AS users', '  FROM users;', 'level_share', '\\d users', 'SELECT 3 AS last'].join('\n'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain('sparkify=>');
    expect(stdout).toContain(`who\n---------------------\n${ANALYST_USER}\n(1 row)\nusers\n-----\n   60\n(1 row)\nlevel  `);
    expect(stdout).toContain('Table public.users  DISTSTYLE ALL\n');
    expect(stdout).toMatch(/user_id +integer +none +false +1 +false\n/);
    // The last statement, with no `;`, runs too.
    expect(stdout).toMatch(/last\n----\n {3}3\n\(1 row\)\n$/);
  });

  it('stops at the first statement that fails, exit 1, its refusal pointing into stdin', async () => {
    const { code, stdout, stderr } = await pipeToShell('SELECT 1 AS one;\n\n  SELECT NOW();\nSELECT 2 AS two;\n');
    expect(code).toBe(1);
    expect(stdout).toContain('one');
    expect(stdout).not.toContain('two');
    expect(stderr).toBe(
      'error: Redshift would refuse this SQL:\n' +
        '  stdin:3:10: the function NOW() is not Redshift SQL; Redshift offers GETDATE() or SYSDATE\n' +
        '      SELECT NOW();\n' +
        '             ^\n' +
        'stdin:3: this statement failed; the statements after it were not run\n',
    );
  });

  it('is read-only, saying how to write on purpose', async () => {
    const { code, stderr } = await pipeToShell('DELETE FROM songplays;');
    expect(code).toBe(1);
    expect(stderr).toContain(
      "error: sparkify shell is read-only, and this statement writes (cannot execute DELETE in a read-only transaction). To change the warehouse on purpose, quit and start 'sparkify shell --write'",
    );
  });
});
