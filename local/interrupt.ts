/**
 * What to undo when the user interrupts the process (Ctrl-C's SIGINT, or SIGTERM): whoever holds
 * something the process must not leave behind (a load's transaction and the warehouse it holds)
 * registers its cleanup while it holds it, and forgets it once it let go. The CLI's one signal
 * handler (cli/interrupt-handler.ts) runs each registered cleanup once, newest first, then exits.
 *
 * The handler is installed only while a cleanup is registered. PGlite runs a statement
 * synchronously on the one JavaScript thread, so a handler cannot run until the statement ends:
 * with none installed, Ctrl-C ends the process at once, as the operating system ends it. So register
 * only around work worth waiting a statement for (a load, which then rolls back), never around a
 * user's query, which could run for minutes.
 */

/** Told which signal ended the process. */
export type InterruptCleanup = (signal: NodeJS.Signals) => unknown;

const cleanups: InterruptCleanup[] = [];
let watcher: ((active: boolean) => void) | undefined;

/** Registers `cleanup`; the function returned forgets it (safe to call twice). */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  cleanups.push(cleanup);
  if (cleanups.length === 1) watcher?.(true);
  return () => {
    const at = cleanups.lastIndexOf(cleanup);
    if (at < 0) return;
    cleanups.splice(at, 1);
    if (cleanups.length === 0) watcher?.(false);
  };
}

/** Tells `watch` whether any cleanup is registered, now and whenever that changes (the CLI's handler installs itself by it). */
export function watchInterruptCleanups(watch: (active: boolean) => void): void {
  watcher = watch;
  watch(cleanups.length > 0);
}

/**
 * Runs every registered cleanup once, newest first (a load rolls back before its lock is let go),
 * awaiting each; one that fails does not keep the others from running. Each is forgotten as it
 * starts, so a second Ctrl-C meanwhile finds none and ends the process at once.
 */
export async function runInterruptCleanups(signal: NodeJS.Signals): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    if (cleanups.length === 0) watcher?.(false);
    try {
      await cleanup(signal);
    } catch {
      // The process is ending: a cleanup that failed has nothing left to report to.
    }
  }
}
