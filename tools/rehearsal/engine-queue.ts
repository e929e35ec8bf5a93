import type { SqlEngine } from '../../local/engine';

/**
 * The engine is one connection, so one job at a time: a batch's transaction must not interleave
 * with another statement's. A statement waits here in SUBMITTED, as it would in Redshift's queue.
 */
export class EngineQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly engine: SqlEngine) {}

  run<T>(job: (engine: SqlEngine) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => job(this.engine));
    // A failed job must not stop the ones after it.
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every job queued so far has ended. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
