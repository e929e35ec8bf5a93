import { createHash } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/config/project-config';
import { generateDataset, type GeneratedSummary } from '../generator/generate-dataset';
import type { Scale } from './scales';

/** Generated datasets and the PGlite template live here (gitignored): generating 100x takes a while. */
export const BENCH_DIR = path.join(PROJECT_ROOT, '.bench');
const GENERATOR_DIR = path.join(PROJECT_ROOT, 'tools', 'generator');
const DONE = '.generated.json';

export interface Dataset {
  readonly scale: Scale;
  readonly dir: string;
  readonly summary: GeneratedSummary;
  /** Milliseconds spent generating it in this run; 0 when it came from the cache. */
  readonly generatedMs: number;
}

/** The cache key: the options and the generator's own source, so a changed generator regenerates. */
async function cacheKey(scale: Scale): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(scale.options));
  for (const file of (await readdir(GENERATOR_DIR)).filter((name) => name.endsWith('.ts')).sort()) {
    hash.update(file).update(await readFile(path.join(GENERATOR_DIR, file)));
  }
  const { songs, events } = scale.options;
  return `s${songs}-e${events}-${hash.digest('hex').slice(0, 12)}`;
}

/** The dataset of a scale, generated unless a complete copy is cached under .bench/datasets. */
export async function ensureDataset(scale: Scale, log: (line: string) => void): Promise<Dataset> {
  const dir = path.join(BENCH_DIR, 'datasets', await cacheKey(scale));
  const cached = await readFile(path.join(dir, DONE), 'utf8').then(
    (text) => JSON.parse(text) as GeneratedSummary,
    () => undefined,
  );
  if (cached) return { scale, dir, summary: cached, generatedMs: 0 };
  // A folder without the marker is a generation that was interrupted.
  await rm(dir, { recursive: true, force: true });
  log(`generating ${scale.name} (${scale.options.songs} songs, ${scale.options.events} events) into ${path.relative(PROJECT_ROOT, dir)}`);
  const began = performance.now();
  const summary = await generateDataset(dir, scale.options);
  await writeFile(path.join(dir, DONE), JSON.stringify(summary));
  return { scale, dir, summary, generatedMs: performance.now() - began };
}
