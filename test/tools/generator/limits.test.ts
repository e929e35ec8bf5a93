import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../cli/main';
import { estimateBytes, GENERATOR_LIMITS, resolveOptions, SAMPLE_OPTIONS, sizeProblem } from '../../../tools/generator/generate-dataset';
import { formatBytes, progressLines } from '../../../tools/generator/progress';
import type { GeneratorProgress } from '../../../tools/generator/generate-dataset';
import { folderBytes } from '../../../local/folder-bytes';

describe('the generator is bounded', () => {
  it.each(Object.entries(GENERATOR_LIMITS))('%s: 1 to its maximum, and nothing else', (name, { max, why }) => {
    const option = name as keyof typeof GENERATOR_LIMITS;
    const songs = option === 'artists' ? { songs: GENERATOR_LIMITS.songs.max } : {};
    expect(resolveOptions({ ...songs, [option]: max })[option]).toBe(max);
    expect(resolveOptions({ ...songs, [option]: 1 })[option]).toBe(1);
    for (const bad of [max + 1, 1e9, 0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveOptions({ ...songs, [option]: bad }), `${name} ${bad}`).toThrow(
        `generator option ${name} must be a whole number from 1 to ${max.toLocaleString('en-US')} (${why}), got ${bad}`,
      );
    }
  });

  it('no more artists than songs, saying so', () => {
    expect(sizeProblem('artists', 11, 10)).toBe('artists must be a whole number from 1 to 10 (no more artists than songs, 10), got 11');
    expect(() => resolveOptions({ songs: 10, artists: 11 })).toThrow('no more artists than songs, 10');
  });

  it('the default users follow the events, within the users maximum', () => {
    expect(resolveOptions({ events: GENERATOR_LIMITS.events.max }).users).toBeLessThanOrEqual(GENERATOR_LIMITS.users.max);
  });
});

describe('the size estimate', () => {
  it('is within 5% of the bundled sample as written', async () => {
    const actual = await folderBytes(SAMPLE_DIR);
    expect(Math.abs(estimateBytes(SAMPLE_OPTIONS) - actual) / actual).toBeLessThan(0.05);
  });

  it('grows with songs and events, and checks the options it is given', () => {
    expect(estimateBytes({ songs: 14_896, events: 8_056 })).toBeGreaterThan(7.5e6);
    expect(estimateBytes({ songs: 14_896, events: 8_056 })).toBeLessThan(8.5e6);
    expect(estimateBytes({ songs: GENERATOR_LIMITS.songs.max, events: GENERATOR_LIMITS.events.max })).toBeLessThan(5.5e9);
    expect(() => estimateBytes({ songs: 1e9 })).toThrow(/songs/);
  });

  it('prints as people read sizes', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1_506_000)).toBe('1.51 MB');
    expect(formatBytes(4_744_000_000)).toBe('4.74 GB');
  });
});

describe('progress lines', () => {
  it('one per tenth reached in each phase, and one at the end of each', () => {
    const lines: string[] = [];
    const report = progressLines((line) => lines.push(line));
    const feed: GeneratorProgress[] = [
      { phase: 'songs', done: 64, total: 1000 },
      { phase: 'songs', done: 128, total: 1000 },
      { phase: 'songs', done: 192, total: 1000 },
      { phase: 'songs', done: 999, total: 1000 },
      { phase: 'songs', done: 1000, total: 1000 },
      { phase: 'events', done: 10_000, total: 2_000_000 },
      { phase: 'events', done: 200_000, total: 2_000_000 },
      { phase: 'events', done: 210_000, total: 2_000_000 },
      { phase: 'events', done: 2_000_000, total: 2_000_000 },
    ];
    for (const progress of feed) report(progress);
    expect(lines).toEqual([
      '  song files        128 of 1,000 (10%)',
      '  song files        999 of 1,000 (90%)',
      '  song files      1,000 of 1,000 (100%)',
      '  events        200,000 of 2,000,000 (10%)',
      '  events      2,000,000 of 2,000,000 (100%)',
    ]);
  });
});
