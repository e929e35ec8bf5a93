import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Reads a generated folder back: every file's relative path and text, and the parsed records. */

export type JsonRecord = Record<string, unknown>;

export interface SongFile {
  readonly key: string;
  readonly text: string;
  readonly song: JsonRecord;
}

export interface LogFile {
  readonly key: string;
  readonly text: string;
  readonly lines: readonly string[];
  readonly events: readonly JsonRecord[];
}

export interface Dataset {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly songFiles: readonly SongFile[];
  readonly logFiles: readonly LogFile[];
  readonly events: readonly JsonRecord[];
}

export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function parseObject(text: string): JsonRecord {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${text}`);
  return value as JsonRecord;
}

export async function readDataset(root: string): Promise<Dataset> {
  const files = new Map<string, Buffer>();
  for (const key of await listFiles(root)) files.set(key, await readFile(path.join(root, key)));
  const songFiles: SongFile[] = [];
  const logFiles: LogFile[] = [];
  for (const [key, bytes] of files) {
    const text = bytes.toString('utf8');
    if (key.startsWith('song_data/')) songFiles.push({ key, text, song: parseObject(text) });
    if (key.startsWith('log_data/')) {
      const lines = text === '' ? [] : text.split('\n');
      logFiles.push({ key, text, lines, events: lines.map(parseObject) });
    }
  }
  return { files, songFiles, logFiles, events: logFiles.flatMap((file) => file.events) };
}

export function str(record: JsonRecord, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`${key} is not a string: ${String(value)}`);
  return value;
}

export function num(record: JsonRecord, key: string): number {
  const value = record[key];
  if (typeof value !== 'number') throw new Error(`${key} is not a number: ${String(value)}`);
  return value;
}

export function pairKey(title: string, artist: string): string {
  return `${title}\u0000${artist}`;
}
