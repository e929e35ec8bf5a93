import { describe, expect, it } from 'vitest';
import { exitOnInterrupt } from '../../cli/interrupt-handler';
import { onInterrupt, runInterruptCleanups } from '../../local/interrupt';

// The signal handler's registry, in this process (test/cli/edges.test.ts interrupts a real load).
// PGlite runs a statement synchronously, so a handler cannot run during one: it is installed only
// while a cleanup is registered, and Ctrl-C ends a query (which registers none) at once.
describe('the interrupt handler', () => {
  it('is installed for SIGINT and SIGTERM only while a cleanup is registered', () => {
    const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    exitOnInterrupt();
    expect(listeners()).toEqual(before);
    const forgetFirst = onInterrupt(() => undefined);
    const forgetSecond = onInterrupt(() => undefined);
    expect(listeners()).toEqual(before.map((n) => n + 1));
    forgetFirst();
    expect(listeners()).toEqual(before.map((n) => n + 1));
    forgetSecond();
    forgetSecond();
    expect(listeners()).toEqual(before);
  });

  it('runs each cleanup once, newest first, told the signal, past one that fails; the handler goes with the last one taken', async () => {
    const ran: string[] = [];
    const listening: number[] = [];
    onInterrupt((signal) => ran.push(`lock ${signal}`));
    onInterrupt(() => {
      throw new Error('cannot');
    });
    onInterrupt(async (signal) => {
      listening.push(process.listenerCount('SIGINT'));
      await Promise.resolve();
      ran.push(`load ${signal}`);
    });
    const before = process.listenerCount('SIGINT');
    await runInterruptCleanups('SIGINT');
    await runInterruptCleanups('SIGINT');
    expect(ran).toEqual(['load SIGINT', 'lock SIGINT']);
    // Taken while the newest ran: the others still registered, so the handler was still there.
    expect(listening).toEqual([before]);
    expect(process.listenerCount('SIGINT')).toBe(before - 1);
  });
});
