import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine the figures were taken on, and how busy it was. */
export function machine(): Record<string, string> {
  const [one, five, fifteen] = loadavg().map((value) => value.toFixed(2));
  return {
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`,
    node: process.version,
    'load average': `${one} ${five} ${fifteen} (1, 5, 15 min)`,
  };
}
