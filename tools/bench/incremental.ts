import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extendDataset, planExtension } from '../generator/extend-dataset';
import type { Dataset } from './datasets';

/** The datasets of the incremental figure, made from a base dataset (cached beside it). */
export interface IncrementalDatasets {
  /** The base dataset plus one day (`generate --days-after 1`). */
  readonly extended: string;
  /** The same song files and only the new day's log file: a full load of that day alone. */
  readonly dayOnly: string;
  /** Bucket keys of the new day's log files. */
  readonly newFiles: readonly string[];
}

const DONE = '.incremental.json';

/**
 * The base plus one day, and that day alone. Files are hard links to the base's (no copy of
 * 400 MB), except generator.json, which the extension rewrites and so is copied.
 */
export async function ensureIncrementalDatasets(base: Dataset, log: (line: string) => void): Promise<IncrementalDatasets> {
  const extended = `${base.dir}-plus-1-day`;
  const dayOnly = `${base.dir}-new-day-only`;
  const cached = await readFile(path.join(extended, DONE), 'utf8').then(
    (text) => JSON.parse(text) as { newFiles: string[] },
    () => undefined,
  );
  if (cached) return { extended, dayOnly, newFiles: cached.newFiles };
  await rm(extended, { recursive: true, force: true });
  await rm(dayOnly, { recursive: true, force: true });
  log(`adding a day to ${base.scale.name} (generate --days-after 1) into ${path.basename(extended)}`);
  execFileSync('cp', ['-al', base.dir, extended]);
  await rm(path.join(extended, 'generator.json'));
  await copyFile(path.join(base.dir, 'generator.json'), path.join(extended, 'generator.json'));
  const plan = await planExtension(extended, { daysAfter: 1 });
  await extendDataset(plan);
  await mkdir(dayOnly, { recursive: true });
  execFileSync('cp', ['-al', path.join(base.dir, 'song_data'), path.join(base.dir, 'log_json_path.json'), dayOnly]);
  for (const key of plan.files) {
    await mkdir(path.dirname(path.join(dayOnly, key)), { recursive: true });
    execFileSync('cp', ['-al', path.join(extended, key), path.join(dayOnly, key)]);
  }
  await writeFile(path.join(extended, DONE), JSON.stringify({ newFiles: plan.files }));
  return { extended, dayOnly, newFiles: plan.files };
}
