import { randomUUID } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlEngine } from '../engine';
import { JsonChunkSink } from './json-chunk-sink';
import type { RowSink, SinkTarget } from './row-sink';
import { BinaryFileSink } from './binary-file-sink';
import { StreamingCopySink } from './streaming-copy-sink';
import { ChunkedCopySink } from './chunked-copy-sink';

/**
 * 'auto': a binary COPY FROM STDIN, sent in chunks between files (PGlite) or streamed while the
 * files are read (a server); from a file the engine reads itself where only that works; JSON
 * parameters only for an engine that can do none of these. 'json' forces those parameters.
 */
export type InsertMode = 'auto' | 'json';

/** A folder both this process and the database server see, under each one's name for it. */
export interface SharedFolder {
  readonly local: string;
  readonly server: string;
}

const probes = new WeakMap<SqlEngine, Promise<SharedFolder | undefined>>();

export async function openRowSink(engine: SqlEngine, target: SinkTarget, mode: InsertMode = 'auto'): Promise<RowSink> {
  if (mode === 'json') return new JsonChunkSink(engine, target);
  if (engine.copyFromBuffers) return ChunkedCopySink.open({ ...engine, copyFromBuffers: engine.copyFromBuffers }, target);
  const name = `sparkify-copy-${randomUUID()}.bin`;
  const shared = await serverReadableFolder(engine);
  if (shared) return new BinaryFileSink(engine, target, path.join(shared.local, name), `${shared.server}/${name}`);
  if (engine.copyFromStream) return StreamingCopySink.open({ ...engine, copyFromStream: engine.copyFromStream }, target);
  return new JsonChunkSink(engine, target);
}

/** The folder a server-side COPY can read files from, when there is one; probed once per engine. */
export function serverReadableFolder(engine: SqlEngine): Promise<SharedFolder | undefined> {
  let probe = probes.get(engine);
  if (!probe) {
    probe = probeSharedFolder(engine);
    probes.set(engine, probe);
  }
  return probe;
}

/**
 * PGlite runs in this process with its data folder mounted as its data_directory, so a file
 * written there can be read by a server-side COPY. Proven by writing a token and reading it
 * back with pg_read_file; every query here is one that cannot fail, since a failed statement
 * would abort the caller's transaction.
 */
async function probeSharedFolder(engine: SqlEngine): Promise<SharedFolder | undefined> {
  if (engine.kind !== 'pglite') return undefined;
  const local = engine.location;
  if (!(await stat(local).catch(() => undefined))?.isDirectory()) return undefined;
  // Only a superuser may read server files or see data_directory: ask before touching either.
  const role = await engine.query<{ superuser: boolean | null }>('SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user');
  if (!role.rows[0]?.superuser) return undefined;
  const setting = await engine.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
  const serverDir = setting.rows[0]?.dir ?? '';
  if (!serverDir.startsWith('/')) return undefined;
  const name = `sparkify-copy-probe-${randomUUID()}`;
  const token = randomUUID();
  const file = path.join(local, name);
  if (
    !(await writeFile(file, token).then(
      () => true,
      () => false,
    ))
  )
    return undefined; // e.g. a read-only folder
  try {
    const read = await engine.query<{ body: string | null }>('SELECT pg_read_file($1, 0, 64, true) AS body', [`${serverDir}/${name}`]);
    return read.rows[0]?.body === token ? { local, server: serverDir } : undefined;
  } finally {
    await rm(file, { force: true });
  }
}
