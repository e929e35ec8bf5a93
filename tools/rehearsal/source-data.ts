import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateDataset, type GeneratedSummary, type GeneratorOptions } from '../generator/generate-dataset';

/** Small enough to load in about a second, big enough to have every kind of row. */
export const REHEARSAL_DATASET: GeneratorOptions = { seed: 5, songs: 240, users: 40, events: 2400, days: 14, matchRate: 0.2 };

export async function generateSource(folder: string, options: GeneratorOptions = REHEARSAL_DATASET): Promise<GeneratedSummary> {
  return generateDataset(folder, options);
}

/** The record a broken source file gets, and where Redshift would report it. */
export interface BrokenRecord {
  readonly uri: string;
  readonly line: number;
  readonly column: string;
  /** Writes the file back as it was (the user's fix). */
  readonly restore: () => Promise<void>;
}

/**
 * Appends one bad event to a day file of log_data/: a copy of the file's first event whose
 * itemInSession is the text "first", which an INTEGER column rejects (Redshift's load error 1207).
 * The file stays valid JSON lines, so only that record fails.
 */
export async function breakSourceFile(root: string, bucket: string, eventsPrefix: string): Promise<BrokenRecord> {
  const dir = path.join(root, eventsPrefix);
  const files = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.json')).sort();
  const chosen = files[Math.floor(files.length / 2)];
  if (!chosen) throw new Error(`no event file under ${dir} to break`);
  const file = path.join(dir, chosen);
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  const broken = JSON.stringify({ ...first, itemInSession: 'first' });
  // The source files have no trailing newline: the new record starts on the next line.
  await writeFile(file, `${text.replace(/\n*$/, '')}\n${broken}`);
  const key = path.relative(root, file).split(path.sep).join('/');
  return {
    uri: `s3://${bucket}/${key}`,
    line: lines.length + 1,
    column: 'item_in_session',
    restore: () => writeFile(file, text),
  };
}
