import type { LoadReporter } from '../../local/offline-executor';
import type { SqlEngine } from '../../local/engine';

/** Milliseconds of a load's statements outside its plan's steps, by what they are. */
export interface OutsideTimes {
  /** The prelude, the bootstrap, SET ROLE and the catalog read: before BEGIN. */
  setup: number;
  begin: number;
  commit: number;
  vacuum: number;
  /** The load report's query and RESET ROLE: after COMMIT. */
  report: number;
}

/** Sorts the statements a load runs outside its steps; the steps themselves the executor times. */
export class OutsideSteps {
  readonly times: OutsideTimes = { setup: 0, begin: 0, commit: 0, vacuum: 0, report: 0 };
  private inStep = false;
  private committed = false;
  readonly reporter: LoadReporter = {
    stepStarted: () => {
      this.inStep = true;
    },
    stepFinished: () => {
      this.inStep = false;
    },
  };

  record(sql: string, ms: number): void {
    if (this.inStep) return;
    const head = sql.trimStart().slice(0, 8).toUpperCase();
    if (head.startsWith('BEGIN')) this.times.begin += ms;
    else if (head.startsWith('COMMIT')) {
      this.times.commit += ms;
      this.committed = true;
    } else if (head.startsWith('VACUUM')) this.times.vacuum += ms;
    else if (this.committed) this.times.report += ms;
    else this.times.setup += ms;
  }
}

/** The engine, each query and exec timed into `outside` (a bench-only wrapper: the load's own code is untouched). */
export function timedEngine(engine: SqlEngine, outside: OutsideSteps): SqlEngine {
  const timed = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await run();
    } finally {
      outside.record(sql, performance.now() - began);
    }
  };
  return {
    kind: engine.kind,
    location: engine.location,
    query: (sql, params) => timed(sql, () => engine.query(sql, params)),
    queryArrays: (sql, params) => timed(sql, () => engine.queryArrays(sql, params)),
    exec: (sql) => timed(sql, () => engine.exec(sql)),
    ...(engine.copyFromStream ? { copyFromStream: engine.copyFromStream.bind(engine) } : {}),
    ...(engine.copyFromBuffers ? { copyFromBuffers: engine.copyFromBuffers.bind(engine) } : {}),
    close: () => engine.close(),
  };
}
