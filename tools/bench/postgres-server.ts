import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/** A throwaway PostgreSQL server on 127.0.0.1, in a temporary folder, for one benchmark run. */
export interface PostgresServer {
  readonly url: string;
  readonly version: string;
  /** The settings it runs with that matter for the figures. */
  readonly settings: string;
  stop(): void;
}

const DEFAULT_BIN = '/usr/lib/postgresql/15/bin';

export function postgresBinDir(): string | undefined {
  const dir = process.env.SPARKIFY_PG_BIN ?? DEFAULT_BIN;
  return existsSync(path.join(dir, 'pg_ctl')) ? dir : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * initdb and pg_ctl start, on loopback only, with the server's defaults (fsync on). PostgreSQL
 * refuses to run as root, so as root it runs as the postgres user. Stopped on exit whatever happens.
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'sparkify-bench-pg-'));
  const asRoot = userInfo().uid === 0;
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, command), args, { stdio: 'pipe' });
  if (asRoot) {
    const pg = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const group = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(root, Number(pg), Number(group));
  }
  const data = path.join(root, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(root, 'server.log'),
    '-w',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${root}`,
    'start',
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    const args = ['-D', data, '-m', 'fast', '-w', 'stop'];
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
    else spawnSync(path.join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  const version = execFileSync(path.join(bin, 'postgres'), ['--version']).toString().trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    settings: 'server defaults (shared_buffers 128MB, fsync on), loopback',
    stop,
  };
}
