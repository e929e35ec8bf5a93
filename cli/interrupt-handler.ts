import { constants } from 'node:os';
import { runInterruptCleanups, watchInterruptCleanups } from '../local/interrupt';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The process's one handler for Ctrl-C (SIGINT) and SIGTERM, set up by bin/sparkify.mjs and
 * installed while local/interrupt.ts holds a cleanup (a load): the cleanups run once (the load rolls
 * back, says what the warehouse holds and releases it), then the process exits 128 + the signal's
 * number, as the shell expects (130 for Ctrl-C). Otherwise, and for a second Ctrl-C while they run,
 * the signal ends the process at once, as it would without Node.
 */
export function exitOnInterrupt(): void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => void runInterruptCleanups(signal).finally(() => process.exit(interruptExitCode(signal)));
    return [signal, handler] as const;
  });
  watchInterruptCleanups((active) => {
    for (const [signal, handler] of handlers) {
      if (active) process.on(signal, handler);
      else process.off(signal, handler);
    }
  });
}

/** The exit status of a process ended by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
