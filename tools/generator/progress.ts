import type { GeneratorProgress } from './generate-dataset';

const STEP_PERCENT = 10;

/**
 * A progress line per tenth of each phase (songs or the check of them, then events), and one at its end: what
 * `sparkify generate` prints while it runs, so a large dataset never runs silently.
 */
export function progressLines(print: (line: string) => void): (progress: GeneratorProgress) => void {
  const printed = new Map<GeneratorProgress['phase'], number>();
  return ({ phase, done, total }) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const step = done >= total ? 100 : percent - (percent % STEP_PERCENT);
    if (step === 0 || step <= (printed.get(phase) ?? 0)) return;
    printed.set(phase, step);
    const label = phase === 'songs' ? 'song files' : phase;
    print(`  ${label.padEnd(10)} ${done.toLocaleString('en-US').padStart(10)} of ${total.toLocaleString('en-US')} (${step}%)`);
  };
}

/** Bytes as the estimate line shows them: kB, MB or GB, three significant figures. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toPrecision(3)} ${unit}`;
  return `${bytes} bytes`;
}
