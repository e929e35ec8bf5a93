import { constants } from 'node:os';
import { runInterruptCleanups } from '../local/interrupt';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The process's one handler for Ctrl-C (SIGINT) and SIGTERM, installed by bin/sparkify.mjs: the
 * cleanups registered in local/interrupt.ts run once (a load rolls back and says what the warehouse
 * holds, the writer lock is released), then the process exits 128 + the signal's number, as the
 * shell expects (130 for Ctrl-C). A second signal while they run exits at once.
 */
export function exitOnInterrupt(): void {
  let interrupted = false;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      const code = interruptExitCode(signal);
      if (interrupted) process.exit(code);
      interrupted = true;
      void runInterruptCleanups(signal).finally(() => process.exit(code));
    });
  }
}

/** The exit status of a process ended by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
