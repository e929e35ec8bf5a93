import { Worker } from 'node:worker_threads';
import { isPostgresUrl, openEngine, type SqlEngine } from '../../local/engine';
import { cancelledOutcome, runOnEngine, type RunOutcome, type RunRequest } from './statement-runner';

/** A database session: what the Data API opens for each call, or keeps alive for SessionKeepAliveSeconds. */
export interface Session {
  readonly pid: number;
  run(request: RunRequest, started: (index: number) => void): Promise<RunOutcome>;
  /** Stops the statement running in the session now: it rolls back and ends ABORTED. */
  cancel(): Promise<void>;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionHost {
  /** How sessions are made, for the report. */
  readonly describe: string;
  /** A new session; on a one-backend engine it waits until the session before it closes. */
  open(): Promise<Session>;
  close(): Promise<void>;
}

/**
 * Sessions over a database: a PostgreSQL URL gives each session its own connection (statements
 * run side by side; cancel is pg_cancel_backend); a PGlite folder runs in a worker thread (the
 * server answers while a statement runs; cancel ends the worker, PGlite recovers the folder as
 * after a crash, so the statement's work is gone); an engine already open in this thread (tests
 * that hold one) can only stop a statement between its sub-statements.
 */
export function sessionHost(database: string | SqlEngine): SessionHost {
  if (typeof database !== 'string')
    return database.kind === 'postgres' && isPostgresUrl(database.location) && !database.location.includes('***')
      ? serverSessions(database.location)
      : oneBackend(inProcess(database), `one ${database.kind} connection in this thread`);
  return isPostgresUrl(database) ? serverSessions(database) : oneBackend(inWorker(database), 'PGlite in a worker thread');
}

function serverSessions(url: string): SessionHost {
  const open = new Set<SqlEngine>();
  return {
    describe: 'a PostgreSQL connection per session',
    async open() {
      const engine = await openEngine(url);
      open.add(engine);
      const [row] = (await engine.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const pid = row?.pid ?? 0;
      let running = false;
      let cancelling = false;
      return {
        pid,
        async run(request, started) {
          running = true;
          cancelling = false;
          try {
            return await runOnEngine(engine, request, { started, cancelled: () => cancelling });
          } finally {
            running = false;
          }
        },
        async cancel() {
          cancelling = true;
          // Until it stops: the COPY emulation runs several queries, and a cancel between two of them does nothing.
          const admin = await openEngine(url);
          try {
            while (running) {
              await admin.query('SELECT pg_cancel_backend($1)', [pid]);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          } finally {
            await admin.close();
          }
        },
        query: async <T>(sql: string, params?: readonly unknown[]) => (await engine.query<T>(sql, params)).rows,
        exec: (sql) => engine.exec(sql),
        async close() {
          open.delete(engine);
          await engine.close().catch(() => undefined);
        },
      };
    },
    async close() {
      await Promise.all([...open].map((engine) => engine.close().catch(() => undefined)));
    },
  };
}

/** What a one-backend engine does for its sessions. */
interface Backend {
  run(request: RunRequest, started: (index: number) => void): Promise<RunOutcome>;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Makes the backend a fresh session: temporary tables, SET and prepared statements gone. */
  reset(): Promise<void>;
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

let nextPid = 1_073_741_900;

/** PGlite is one backend: its sessions take turns, each starting from a reset backend. */
function oneBackend(backend: Backend, describe: string): SessionHost {
  let turn: Promise<void> = Promise.resolve();
  return {
    describe,
    async open() {
      let release = () => undefined as void;
      const previous = turn;
      turn = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return {
        pid: nextPid++,
        run: (request, started) => backend.run(request, started),
        cancel: () => backend.interrupt(),
        query: (sql, params) => backend.query(sql, params),
        exec: (sql) => backend.exec(sql),
        async close() {
          await backend.reset().catch(() => undefined);
          release();
        },
      };
    },
    close: () => backend.close(),
  };
}

/** The settings the engine opened with (UTC and ISO dates: local/engine.ts), restored after DISCARD ALL. */
async function resetter(engine: SqlEngine): Promise<() => Promise<void>> {
  const { rows } = await engine.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE source = 'session'`);
  return async () => {
    await engine.exec('ROLLBACK').catch(() => undefined);
    await engine.exec('DISCARD ALL');
    for (const { name, setting } of rows) await engine.query('SELECT set_config($1, $2, false)', [name, setting]);
  };
}

export function inProcess(engine: SqlEngine): Backend {
  let cancelling = false;
  const reset = resetter(engine);
  return {
    run(request, started) {
      cancelling = false;
      return runOnEngine(engine, request, { started, cancelled: () => cancelling });
    },
    query: async <T>(sql: string, params?: readonly unknown[]) => (await engine.query<T>(sql, params)).rows,
    exec: (sql) => engine.exec(sql),
    reset: async () => (await reset)(),
    async interrupt() {
      cancelling = true;
    },
    close: async () => undefined,
  };
}

/** Messages from session-worker.ts. */
type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly index: number }
  | { readonly type: 'done'; readonly value: unknown }
  | { readonly type: 'failed'; readonly message: string };

class Interrupted extends Error {}

/** PGlite in a worker thread: its queries block that thread, not the server's. */
function inWorker(dir: string): Backend {
  let worker: Promise<Worker> | undefined;
  let pending: { reject: (error: Error) => void; running: number } | undefined;
  const boot = () =>
    new Promise<Worker>((resolve, reject) => {
      const started = new Worker(new URL('./session-worker.mjs', import.meta.url), {
        workerData: { module: new URL('./session-worker.ts', import.meta.url).href, dir },
      });
      started.once('message', () => resolve(started));
      started.once('error', (error) => {
        reject(error);
        pending?.reject(error);
      });
    });
  const call = async <T>(message: object, started?: (index: number) => void): Promise<T> => {
    const current = await (worker ??= boot());
    return new Promise<T>((resolve, reject) => {
      pending = { reject, running: 0 };
      const listen = (answer: FromWorker) => {
        if (answer.type === 'started') {
          if (pending) pending.running = answer.index;
          started?.(answer.index);
          return;
        }
        current.off('message', listen);
        pending = undefined;
        if (answer.type === 'done') resolve(answer.value as T);
        else if (answer.type === 'failed') reject(new Error(answer.message));
      };
      current.on('message', listen);
      current.postMessage(message);
    });
  };
  return {
    async run(request, started) {
      try {
        return await call<RunOutcome>({ op: 'run', request }, started);
      } catch (error) {
        if (error instanceof Interrupted)
          return cancelledOutcome(request.sqls.length, (error as Interrupted & { running: number }).running);
        throw error;
      }
    },
    query: (sql, params) => call({ op: 'query', sql, params }),
    exec: (sql) => call({ op: 'exec', sql }),
    reset: () => call({ op: 'reset' }),
    async interrupt() {
      const running = pending;
      if (!running || !worker) return;
      const stopped = await worker;
      worker = undefined;
      await stopped.terminate();
      running.reject(Object.assign(new Interrupted('cancelled'), { running: running.running }));
    },
    async close() {
      const current = worker;
      worker = undefined;
      if (current) await (await current).terminate();
    },
  };
}
