/**
 * What to undo when the user interrupts the process (Ctrl-C's SIGINT, or SIGTERM): whoever holds
 * something the process must not leave behind (the warehouse's writer lock, a load's transaction, a
 * reader's copy of the warehouse) registers its cleanup while it holds it, and forgets it once it let
 * go. The CLI's one signal handler (cli/interrupt-handler.ts) runs each registered cleanup once,
 * newest first, then exits; without that handler (tests calling the CLI in process) nothing runs.
 */
/** Told which signal ended the process. */
export type InterruptCleanup = (signal: NodeJS.Signals) => unknown;

const cleanups: InterruptCleanup[] = [];

/** Registers `cleanup`; the function returned forgets it (safe to call twice). */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.lastIndexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/**
 * Runs every registered cleanup once, newest first (a load rolls back before its lock is let go),
 * awaiting each; one that fails does not keep the others from running.
 */
export async function runInterruptCleanups(signal: NodeJS.Signals): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    try {
      await cleanup(signal);
    } catch {
      // The process is ending: a cleanup that failed has nothing left to report to.
    }
  }
}
