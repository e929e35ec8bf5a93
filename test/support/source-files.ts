import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A song file's object, as the source writes it. */
export interface SourceSong {
  num_songs: number;
  artist_id: string;
  artist_latitude: number | null;
  artist_longitude: number | null;
  artist_location: string;
  artist_name: string;
  song_id: string;
  title: string;
  duration: number;
  year: number;
}

/** A log event, as the source writes it (camelCase). */
export interface SourceEvent {
  artist: string | null;
  auth: string;
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: string;
  location: string | null;
  method: string;
  page: string;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  userId: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Reads a generated source folder back, independently of the COPY emulation. */
export async function readSource(root: string): Promise<{ songs: SourceSong[]; events: SourceEvent[] }> {
  const songs: SourceSong[] = [];
  for (const file of await filesUnder(path.join(root, 'song_data'))) songs.push(JSON.parse(await readFile(file, 'utf8')) as SourceSong);
  const events: SourceEvent[] = [];
  for (const file of await filesUnder(path.join(root, 'log_data'))) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) if (line.trim()) events.push(JSON.parse(line) as SourceEvent);
  }
  return { songs, events };
}
