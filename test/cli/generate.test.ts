import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_LIMITS, type SizeOption } from '../../tools/generator/generate-dataset';
import { folderBytes } from '../../local/folder-bytes';
import { runCli } from '../support/cli';

// `sparkify generate` is bounded (issue 10 §4): every size is a whole number from 1 to a documented
// maximum, checked before anything is written; it says how much it will write before it starts,
// and prints progress while it runs.

let workDir: string;

const sparkify = async (...args: string[]) => {
  const run = await runCli(...args);
  return { ...run, out: run.outLines };
};

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-generate-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const SIZES = Object.keys(GENERATOR_LIMITS) as SizeOption[];
const BAD = (max: number) => ['1e9', String(max + 1), '1000000000', '0', '-1', '2.5', 'abc', '12abc', ''];

describe('sparkify generate refuses a size that is not a whole number from 1 to its maximum', () => {
  it.each(SIZES)('--%s', async (name) => {
    const { max, why } = GENERATOR_LIMITS[name];
    for (const value of BAD(max)) {
      const out = path.join(workDir, `bad-${name}-${value || 'empty'}`);
      const result = await sparkify('generate', '--out', out, `--${name}`, value);
      expect(result.code, `--${name} ${value}`).toBe(1);
      // Names the option, the value and the allowed range, in one message, before anything starts.
      expect(result.err, `--${name} ${value}`).toContain(`option '--${name} <n>' argument '${value}' is invalid.`);
      expect(result.err).toContain(`--${name} takes a whole number from 1 to ${max.toLocaleString('en-US')} (${why}).`);
      expect(result.out).toEqual([]);
      expect(await exists(out)).toBe(false);
    }
  });

  it('--artists beyond --songs names both', async () => {
    const out = path.join(workDir, 'too-many-artists');
    const result = await sparkify('generate', '--out', out, '--songs', '20', '--artists', '21');
    expect(result.code).toBe(1);
    expect(result.err).toBe('error: --artists 21: no more artists than songs, 20; use a whole number from 1 to 20 or raise --songs');
    expect(await exists(out)).toBe(false);
  });

  it('the documented maximums are what the help shows', async () => {
    const { out } = await sparkify('generate', '--help');
    const help = out.join('\n').replace(/\s+/g, ' ');
    expect(help).toContain('--songs <n> song files, one song each (1 to 250,000)');
    expect(help).toContain('--artists <n> distinct artists (1 to 250,000, at most --songs;');
    expect(help).toContain('--users <n> identified users (1 to 250,000)');
    expect(help).toContain('--events <n> log events over all days (1 to 10,000,000)');
    expect(help).toContain('(1 to 3,660)');
  });
});

describe('sparkify generate within the limits', () => {
  it('accepts the maximum of a size (here --days) and 1 for the others', async () => {
    const out = path.join(workDir, 'edges');
    const result = await sparkify(
      'generate',
      '--out',
      out,
      '--songs',
      '1',
      '--artists',
      '1',
      '--users',
      '1',
      '--events',
      '1',
      '--days',
      String(GENERATOR_LIMITS.days.max),
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  it('prints the estimated size before it starts, then progress, then the summary', async () => {
    const out = path.join(workDir, 'progress');
    const result = await sparkify('generate', '--out', out, '--songs', '2500', '--events', '25000', '--users', '200', '--days', '5');
    expect(result.code).toBe(0);
    const [first, ...rest] = result.out;
    const estimate = /^Generating 2,500 song files and 25,000 events over 5 days into (.+): about ([\d.]+) MB$/.exec(first ?? '');
    expect(estimate, first).not.toBeNull();
    expect(estimate?.[1]).toBe(out);

    // A line per tenth reached, each phase ending at 100%, songs before events.
    const progress = rest.filter((line) => /^ {2}(song files|events)/.test(line));
    expect(progress).toEqual([
      '  song files      1,024 of 2,500 (40%)',
      '  song files      2,048 of 2,500 (80%)',
      '  song files      2,500 of 2,500 (100%)',
      '  events         10,000 of 25,000 (40%)',
      '  events         20,000 of 25,000 (80%)',
      '  events         25,000 of 25,000 (100%)',
    ]);
    const done = rest.findIndex((line) => line.startsWith('Generated '));
    expect(done).toBeGreaterThan(rest.indexOf(progress.at(-1) ?? ''));

    // The estimate is within 5% of what was written.
    const bytes = await folderBytes(out);
    expect(Math.abs(Number(estimate?.[2]) * 1e6 - bytes) / bytes, `estimated ${estimate?.[2]} MB, wrote ${bytes} bytes`).toBeLessThan(0.05);
  });
});
