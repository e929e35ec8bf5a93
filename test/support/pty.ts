import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * A command on a pseudo-terminal, as a user at a terminal runs it: util-linux's `script` (Debian's
 * bsdutils, an essential package) gives it one, with `stty` setting a size first (a pty made from
 * a pipe has none). Node has no pty of its own, and node-pty needs an install script. What the
 * program writes comes back with the terminal's escape sequences and carriage returns taken out.
 */
export class PtySession {
  private raw = '';
  /** How much of the output waitFor has already matched past. */
  private seen = 0;
  private readonly ended: Promise<number>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (this.raw += chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.raw += chunk.toString('utf8')));
    this.ended = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  }

  /** Runs `args` (the program first) in `cwd` with `env`, on a terminal of 200 columns. */
  static start(args: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): PtySession {
    const command = `stty cols 200 rows 50; exec ${args.map(shellWord).join(' ')}`;
    return new PtySession(spawn('script', ['-qfec', command, '/dev/null'], { cwd: options.cwd, env: options.env, stdio: 'pipe' }));
  }

  /** Everything shown so far, as plain text. */
  get output(): string {
    return plain(this.raw);
  }

  /** Types `text` (a line needs its "\r", as Enter sends). */
  type(text: string): void {
    this.child.stdin.write(text);
  }

  /**
   * Waits until the output after the last match shows `pattern`; returns that stretch of output,
   * up to and including the match. Fails with what was shown when the program ends first or
   * `timeoutMs` passes (a ceiling against a hang, not a speed goal).
   */
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<string> {
    const began = Date.now();
    for (;;) {
      const text = this.output;
      const match = pattern.exec(text.slice(this.seen));
      if (match) {
        const end = this.seen + match.index + match[0].length;
        const stretch = text.slice(this.seen, end);
        this.seen = end;
        return stretch;
      }
      if (this.child.exitCode !== null || Date.now() - began > timeoutMs) {
        throw new Error(`no ${String(pattern)} in the terminal's output; it showed:\n${text.slice(this.seen)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The exit status, once the program has ended. */
  exit(): Promise<number> {
    return this.ended;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** Terminal output as text: escape sequences (cursor moves, erasing) and carriage returns taken out. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\r/g, '');
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
