import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_LIMITS, type SizeOption } from '../../tools/generator/generate-dataset';
import { folderBytes } from '../../local/folder-bytes';
import { runCli } from '../support/cli';
import { listFiles } from '../tools/generator/dataset-reader';

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

// `--days-after N` (issue 15): later days for a dataset already written, from its generator.json.
describe('sparkify generate --days-after', () => {
  const BASE = ['--seed', '7', '--songs', '120', '--events', '1500', '--users', '25', '--days', '10'];
  let base = '';

  /** A copy of the 10-day base dataset, to extend. */
  const copyOfBase = async (name: string): Promise<string> => {
    const dir = path.join(workDir, name);
    await cp(base, dir, { recursive: true });
    return dir;
  };

  const contents = async (dir: string): Promise<Map<string, string>> => {
    const files = new Map<string, string>();
    for (const key of await listFiles(dir)) files.set(key, await readFile(path.join(dir, key), 'latin1'));
    return files;
  };

  beforeAll(async () => {
    base = path.join(workDir, 'base');
    const result = await sparkify('generate', '--out', base, ...BASE);
    expect(result.err).toBe('');
    expect(result.out.find((line) => line.startsWith('Generated '))).toMatch(
      /; its options are in generator\.json \(add later days with --days-after N\)$/,
    );
    expect(await exists(path.join(base, 'generator.json'))).toBe(true);
  });

  it('prints the days it adds, progress, then which days it wrote and where; writes only those files', async () => {
    const dir = await copyOfBase('added');
    const before = await contents(dir);
    const result = await sparkify('generate', '--out', dir, '--days-after', '3');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(
      `Adding 3 days (2018-11-11 to 2018-11-13) of 150 events each to ${dir}, with the songs and users of its generator.json: about 213 kB, after checking its 120 song files`,
    );
    expect(result.out[1]).toBe('  checked           120 of 120 (100%)');
    expect(result.out[2]).toBe('  events            450 of 450 (100%)');
    expect(result.out[3]).toMatch(
      new RegExp(
        `^Added 2018-11-11 to 2018-11-13 to ${dir} in \\d+ ms: 3 day files, log_data/2018/11/2018-11-11-events\\.json to log_data/2018/11/2018-11-13-events\\.json; generator\\.json now ends on 2018-11-13 \\(13 days\\)$`,
      ),
    );
    expect(result.out[4]).toMatch(/firstDay +lastDay +eventFiles +events +nextSongEvents +users +bytes/);
    const after = await contents(dir);
    expect([...after.keys()].filter((key) => !before.has(key))).toEqual([
      'log_data/2018/11/2018-11-11-events.json',
      'log_data/2018/11/2018-11-12-events.json',
      'log_data/2018/11/2018-11-13-events.json',
    ]);
    for (const [key, text] of before) if (key !== 'generator.json') expect(after.get(key) === text, key).toBe(true);
  });

  it('says "1 day" for one day', async () => {
    const dir = await copyOfBase('one-day');
    const result = await sparkify('generate', '--out', dir, '--days-after', '1', '--events-per-day', '1');
    expect(result.out[0]).toMatch(/^Adding 1 day \(2018-11-11\) of 1 event each to /);
    expect(result.out[3]).toMatch(
      /^Added 2018-11-11 to .* 1 day file, log_data\/2018\/11\/2018-11-11-events\.json; generator\.json now ends on 2018-11-11 \(11 days\)$/,
    );
  });

  it('writes the same bytes for the same commands', async () => {
    const [a, b] = [await copyOfBase('same-a'), await copyOfBase('same-b')];
    for (const dir of [a, b]) {
      expect((await sparkify('generate', '--out', dir, '--days-after', '4', '--events-per-day', '90')).code).toBe(0);
      expect((await sparkify('generate', '--out', dir, '--days-after', '2')).code).toBe(0);
    }
    expect(await contents(a)).toEqual(await contents(b));
  });

  it('refuses a folder without generator.json, naming the file and the fix', async () => {
    const dir = path.join(workDir, 'no-dataset');
    const result = await sparkify('generate', '--out', dir, '--days-after', '2');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `error: ${dir}/generator.json not found: --days-after adds days to a dataset written by 'npx sparkify generate'; generate the dataset first with 'npx sparkify generate --out ${dir}' (into a new or empty folder)`,
    );
    expect(await exists(dir)).toBe(false);
  });

  it('refuses changed song files, naming the first that differs', async () => {
    const dir = await copyOfBase('changed-song');
    const [, key] = (await listFiles(dir)).filter((file) => file.startsWith('song_data/'));
    await writeFile(path.join(dir, key ?? ''), '{"num_songs": 1}');
    const result = await sparkify('generate', '--out', dir, '--days-after', '2');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`error: ${dir}/song_data: ${key} differs, so the song files are not what generator.json's options make`);
    expect(await exists(path.join(dir, 'log_data/2018/11/2018-11-11-events.json'))).toBe(false);
  });

  it('refuses to overwrite a day file', async () => {
    const dir = await copyOfBase('overwrite');
    const day = path.join(dir, 'log_data/2018/11/2018-11-12-events.json');
    await writeFile(day, 'kept');
    const result = await sparkify('generate', '--out', dir, '--days-after', '2');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`error: ${day} exists already and is never overwritten`);
    expect(await readFile(day, 'utf8')).toBe('kept');
    expect(await exists(path.join(dir, 'log_data/2018/11/2018-11-11-events.json'))).toBe(false);
  });

  it('refuses the options that define a dataset, and --events-per-day alone', async () => {
    const dir = await copyOfBase('conflict');
    for (const [flag, value] of [
      ['--songs', '10'],
      ['--seed', '7'],
      ['--match-rate', '0.5'],
    ] as const) {
      const result = await sparkify('generate', '--out', dir, '--days-after', '2', flag, value);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `error: ${flag} cannot go with --days-after: the added days use the options in ${dir}/generator.json; drop ${flag}`,
      );
    }
    const alone = await sparkify('generate', '--out', path.join(workDir, 'alone'), '--events-per-day', '10');
    expect(alone.code).toBe(1);
    expect(alone.err).toBe('error: --events-per-day goes with --days-after N (the events a day of the added days)');
  });

  it('refuses a --days-after or --events-per-day that is not a whole number in range', async () => {
    const dir = await copyOfBase('bad-n');
    for (const [flag, max, why] of [
      ['--days-after', GENERATOR_LIMITS.days.max, GENERATOR_LIMITS.days.why],
      ['--events-per-day', GENERATOR_LIMITS.events.max, GENERATOR_LIMITS.events.why],
    ] as const) {
      for (const value of BAD(max)) {
        const extra = flag === '--days-after' ? [] : ['--days-after', '1'];
        const result = await sparkify('generate', '--out', dir, ...extra, flag, value);
        expect(result.code, `${flag} ${value}`).toBe(1);
        expect(result.err).toContain(`${flag} takes a whole number from 1 to ${max.toLocaleString('en-US')} (${why}).`);
      }
    }
    const beyond = await sparkify('generate', '--out', dir, '--days-after', '3651');
    expect(beyond.err).toContain('--days-after 3651: the dataset has 10 days and holds at most 3,660');
    expect(await contents(dir)).toEqual(await contents(base));
  });

  it('says in its help what it reuses and that the steps matter', async () => {
    const help = (await sparkify('generate', '--help')).out.join('\n').replace(/\s+/g, ' ');
    expect(help).toContain(
      '--days-after <n> add N days after the last day of the dataset in --out, from its generator.json (at most 3,660 days in all)',
    );
    expect(help).toContain('--events-per-day <n> with --days-after: events a day');
    expect(help).toContain(
      'The same commands in the same order always write the same bytes; adding 5 days at once writes other data than adding 2 then 3.',
    );
  });

  it('an extended dataset loads offline and passes every quality gate', async () => {
    const dir = await copyOfBase('to-load');
    expect((await sparkify('generate', '--out', dir, '--days-after', '5')).code).toBe(0);
    const db = path.join(workDir, 'extended-db');
    const load = await sparkify('load', '--source', dir, '--db', db, '--no-queries');
    expect(load.err).toBe('');
    expect(load.code).toBe(0);
    const text = load.out.join('\n');
    expect(text).toMatch(/^ {2}staging_events +2250$/m);
    expect(text).toMatch(/^Quality gates: \d+ passed$/m);
    expect(text).not.toMatch(/^ {2}fail /m);
  });
});
