import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopy } from '../../../local/copy/copy-command';
import { runCopy, type CopyResult } from '../../../local/copy/copy-runner';
import { CopyError } from '../../../local/copy/load-error';
import { openTestEngine, type TestEngine } from '../../support/engine';
import { BucketFixture, ndjson } from './bucket-fixture';

// The load runs every COPY inside its one transaction: a COPY that fails must leave the table as it
// was without ending that transaction (on a server the rows stream in while the files are read).
let db: TestEngine;
const fixture = new BucketFixture();

beforeAll(async () => {
  db = await openTestEngine();
});
afterAll(async () => {
  await db.dispose();
  await fixture.dispose();
});

async function copy(sql: string, bucket: string): Promise<CopyResult> {
  return runCopy(db.engine, parseCopy(sql)!, { buckets: { 'udacity-dend': bucket } });
}

async function names(table: string): Promise<unknown[]> {
  return (await db.engine.query(`SELECT name FROM ${table} ORDER BY id`)).rows.map((row) => row.name);
}

/** Enough rows for several blocks of the binary stream, over several files. */
function manyFiles(files: number, perFile: number, bad?: { file: number; line: number }): Record<string, string> {
  const bucket: Record<string, string> = {};
  for (let f = 0; f < files; f++) {
    const records = Array.from({ length: perFile }, (_, i) => ({ id: f * perFile + i + 1, name: `name ${f}-${i} ${'x'.repeat(60)}` }));
    const text = ndjson(records).split('\n');
    if (bad && bad.file === f) text[bad.line - 1] = '{"id": "not a number", "name": "bad"}';
    bucket[`rows/part-${String(f).padStart(2, '0')}.json`] = text.join('\n');
  }
  return bucket;
}

describe('a COPY inside the caller transaction', () => {
  it('past MAXERROR: the table is as it was, and the transaction goes on', async () => {
    await db.engine.exec("CREATE TABLE in_tx (id INTEGER, name VARCHAR(80)); INSERT INTO in_tx VALUES (0, 'kept')");
    const bad = await fixture.bucket(manyFiles(4, 6000, { file: 3, line: 5000 }));
    const good = await fixture.bucket(manyFiles(2, 10));
    await db.engine.exec('BEGIN');
    try {
      await db.engine.exec("INSERT INTO in_tx VALUES (-1, 'same transaction')");
      const error = await copy("COPY in_tx FROM 's3://udacity-dend/rows' JSON 'auto'", bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CopyError);
      expect((error as CopyError).rejected[0]).toMatchObject({ filename: 's3://udacity-dend/rows/part-03.json', lineNumber: 5000 });
      expect(await names('in_tx')).toEqual(['same transaction', 'kept']);
      const result = await copy("COPY in_tx FROM 's3://udacity-dend/rows' JSON 'auto'", good);
      expect(result.rowsLoaded).toBe(20);
      expect((await names('in_tx')).length).toBe(22);
    } finally {
      await db.engine.exec('ROLLBACK');
    }
    expect(await names('in_tx')).toEqual(['kept']);
  });

  it('loads every row of many blocks over many files', async () => {
    await db.engine.exec('CREATE TABLE many_rows (id INTEGER, name VARCHAR(80))');
    const bucket = await fixture.bucket(manyFiles(6, 8000));
    await db.engine.exec('BEGIN');
    try {
      const result = await copy("COPY many_rows FROM 's3://udacity-dend/rows' JSON 'auto'", bucket);
      expect(result.rowsLoaded).toBe(48_000);
      const { rows } = await db.engine.query<{ n: number; ids: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM many_rows',
      );
      expect(rows[0]).toEqual({ n: 48_000, ids: 48_000 });
      await db.engine.exec('COMMIT');
    } catch (error) {
      await db.engine.exec('ROLLBACK');
      throw error;
    }
  });
});
