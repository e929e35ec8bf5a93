import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogSong } from './catalog';
import { pyFloat, pyFloatOrNull, pyString } from './json-text';
import { songFolder } from './msd-ids';

/** One song file: a single object exactly as Python's json.dumps wrote the real ones, no newline. */
export function songFileText(song: CatalogSong): string {
  return (
    `{"num_songs": 1, "artist_id": ${pyString(song.artistId)}, ` +
    `"artist_latitude": ${pyFloatOrNull(song.artistLatitude)}, "artist_longitude": ${pyFloatOrNull(song.artistLongitude)}, ` +
    `"artist_location": ${pyString(song.artistLocation)}, "artist_name": ${pyString(song.artistName)}, ` +
    `"song_id": ${pyString(song.songId)}, "title": ${pyString(song.title)}, ` +
    `"duration": ${pyFloat(song.duration)}, "year": ${song.year}}`
  );
}

export function songFilePath(song: CatalogSong): string {
  return `${songFolder(song.trackId)}/${song.trackId}.json`;
}

// Enough parallel writes to hide file-system latency without opening thousands of handles.
const PARALLEL_WRITES = 64;
const PROGRESS_EVERY = 1000;

/** Writes every song file; returns the bytes written. */
export async function writeSongFiles(outDir: string, songs: readonly CatalogSong[], onProgress?: (done: number) => void): Promise<number> {
  const folders = new Set(songs.map((song) => songFolder(song.trackId)));
  for (const folder of [...folders].sort()) await mkdir(path.join(outDir, folder), { recursive: true });
  let bytes = 0;
  for (let start = 0; start < songs.length; start += PARALLEL_WRITES) {
    const batch = songs.slice(start, start + PARALLEL_WRITES);
    await Promise.all(
      batch.map((song) => {
        const text = songFileText(song);
        bytes += text.length; // ASCII only: every non-ASCII character is \u-escaped
        return writeFile(path.join(outDir, songFilePath(song)), text);
      }),
    );
    const done = start + batch.length;
    if (onProgress && (done % PROGRESS_EVERY < PARALLEL_WRITES || done === songs.length)) onProgress(done);
  }
  return bytes;
}
