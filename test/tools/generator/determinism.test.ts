import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratorOptions,
  type GeneratorProgress,
  generateDataset,
  resolveOptions,
  SAMPLE_OPTIONS,
} from '../../../tools/generator/generate-dataset';
import { listFiles, pairKey, readDataset, str } from './dataset-reader';
import { PROJECT_ROOT } from '../../../lib/config/project-config';

const SAMPLE_DIR = path.join(PROJECT_ROOT, 'sample');
const SMALL: GeneratorOptions = { seed: 7, songs: 120, artists: 70, users: 25, events: 1500, days: 10, matchRate: 0.3 };

let root = '';
let counter = 0;
const freshDir = (): string => path.join(root, `run-${counter++}`);

async function sameBytes(a: string, b: string): Promise<boolean> {
  const files = await listFiles(a);
  if (JSON.stringify(files) !== JSON.stringify(await listFiles(b))) return false;
  for (const file of files) {
    const [x, y] = await Promise.all([readFile(path.join(a, file)), readFile(path.join(b, file))]);
    if (!x.equals(y)) return false;
  }
  return true;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sparkify-gen-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('writes byte-identical files for the same options', async () => {
    const [a, b] = [freshDir(), freshDir()];
    await generateDataset(a, SMALL);
    await generateDataset(b, SMALL);
    expect(await sameBytes(a, b)).toBe(true);
  });

  it('writes different data for a different seed', async () => {
    const [a, b] = [freshDir(), freshDir()];
    await generateDataset(a, SMALL);
    await generateDataset(b, { ...SMALL, seed: 8 });
    expect(await sameBytes(a, b)).toBe(false);
    expect(await listFiles(a)).not.toEqual(await listFiles(b)); // other track ids
  });

  it('keeps the catalog when only the log options change', async () => {
    const [a, b] = [freshDir(), freshDir()];
    await generateDataset(a, SMALL);
    await generateDataset(b, { ...SMALL, events: 500, users: 10 });
    const songs = async (dir: string): Promise<string[]> => (await listFiles(dir)).filter((f) => f.startsWith('song_data/'));
    expect(await songs(a)).toEqual(await songs(b));
  });

  it('matches the committed sample/ exactly (regenerated from SAMPLE_OPTIONS)', async () => {
    const dir = freshDir();
    await generateDataset(dir, SAMPLE_OPTIONS);
    expect(await listFiles(SAMPLE_DIR)).toEqual(await listFiles(dir));
    expect(await sameBytes(SAMPLE_DIR, dir)).toBe(true);
  });
});

describe('requested sizes', () => {
  it('honours every count', async () => {
    const dir = freshDir();
    const summary = await generateDataset(dir, SMALL);
    const data = await readDataset(dir);
    const songs = data.songFiles.map((file) => file.song);
    const users = new Set(data.events.map((event) => event.userId).filter((id) => id !== ''));
    expect(summary).toMatchObject({ songFiles: 120, artists: 70, eventFiles: 10, events: 1500, users: 25 });
    expect(songs).toHaveLength(120);
    expect(new Set(songs.map((song) => song.artist_id)).size).toBe(70);
    expect(data.logFiles).toHaveLength(10);
    expect(data.events).toHaveLength(1500);
    expect(users.size).toBe(25);
    expect(data.events.filter((event) => event.page === 'NextSong')).toHaveLength(summary.nextSongEvents);
  });

  it('matches the catalog at the requested rate', async () => {
    for (const matchRate of [0, 0.5]) {
      const dir = freshDir();
      await generateDataset(dir, { ...SMALL, events: 4000, matchRate });
      const data = await readDataset(dir);
      const pairs = new Set(data.songFiles.map((file) => pairKey(str(file.song, 'title'), str(file.song, 'artist_name'))));
      const plays = data.events.filter((event) => event.page === 'NextSong');
      const matched = plays.filter((play) => pairs.has(pairKey(str(play, 'song'), str(play, 'artist'))));
      expect(Math.abs(matched.length / plays.length - matchRate)).toBeLessThan(0.03);
    }
  });

  it('spreads events over more days and across month ends', async () => {
    const dir = freshDir();
    await generateDataset(dir, { ...SMALL, events: 800, days: 45 });
    const logs = (await listFiles(dir)).filter((file) => file.startsWith('log_data/'));
    expect(logs).toHaveLength(45);
    expect(logs).toContain('log_data/2018/12/2018-12-15-events.json');
  });

  it('handles tiny datasets: one song, one day, a handful of events', async () => {
    const dir = freshDir();
    const summary = await generateDataset(dir, { songs: 1, events: 5, users: 1, days: 1 });
    expect(summary).toMatchObject({ songFiles: 1, artists: 1, eventFiles: 1, events: 5, users: 1 });
  });

  it('reports progress for both phases, ending at the totals', async () => {
    const seen: GeneratorProgress[] = [];
    await generateDataset(freshDir(), { ...SMALL, songs: 2500, events: 25000, users: 200 }, (p) => seen.push(p));
    const last = (phase: GeneratorProgress['phase']): GeneratorProgress | undefined => seen.filter((p) => p.phase === phase).pop();
    expect(last('songs')).toEqual({ phase: 'songs', done: 2500, total: 2500 });
    expect(last('events')).toEqual({ phase: 'events', done: 25000, total: 25000 });
    expect(seen.filter((p) => p.phase === 'events').length).toBeGreaterThan(2);
    expect(seen.findIndex((p) => p.phase === 'events')).toBeGreaterThan(seen.findLastIndex((p) => p.phase === 'songs'));
  });
});

describe('options', () => {
  it('defaults to the sample sizes with matchRate 0.1, artists ~ songs * 0.65, users ~ events / 50', () => {
    expect(resolveOptions()).toEqual({ ...SAMPLE_OPTIONS, artists: 195, matchRate: 0.1 });
    expect(resolveOptions({ songs: 1000, events: 80000 })).toMatchObject({ artists: 650, users: 1600, days: 30, seed: 42 });
  });

  it('rejects impossible values, naming the option', () => {
    expect(() => resolveOptions({ songs: 0 })).toThrow(/songs/);
    expect(() => resolveOptions({ songs: 10, artists: 11 })).toThrow(/artists/);
    expect(() => resolveOptions({ events: 1.5 })).toThrow(/events/);
    expect(() => resolveOptions({ days: 0 })).toThrow(/days/);
    expect(() => resolveOptions({ matchRate: 1.2 })).toThrow(/matchRate/);
    expect(() => resolveOptions({ seed: Number.NaN })).toThrow(/seed/);
  });

  it('refuses to write into a folder that already has files', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'stale.json'), '{}');
    await expect(generateDataset(dir, SMALL)).rejects.toThrow(/not empty/);
  });
});
