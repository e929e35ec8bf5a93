import { main } from '../../cli/main';

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
