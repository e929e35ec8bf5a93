import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placedEngineError } from '../../cli/sql-error';
import { trimStatement } from '../../lib/plan/bind';
import type { AnalystQuery } from '../../local/analyst-queries';
import { openEngine } from '../../local/engine';
import { twinStatement } from '../../local/twin-statement';
import { runCli } from '../support/cli';
import { openLoadedTestEngine, type TestEngine } from '../support/engine';

// Issue 22 item 4: an error of the engine carries its hint and its place in the SQL the user wrote,
// `query:1:8` and a caret under it, as the Redshift gate's refusals do; on PGlite and on a server.
let db: TestEngine;

beforeAll(async () => {
  db = await openLoadedTestEngine();
  await db.engine.close(); // the CLI opens the database itself
});

afterAll(async () => {
  await db.dispose();
});

const query = (sql: string) => runCli('query', '--db', db.target, '--', sql);

describe('sparkify query: an engine error', () => {
  it('prints the message at query:line:column, the line with a caret under the place, and the hint', async () => {
    const { code, out, err } = await query('select titel from songs');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      [
        'error: query:1:8: column "titel" does not exist',
        '  select titel from songs',
        '         ^',
        'hint: Perhaps you meant to reference the column "songs.title".',
      ].join('\n'),
    );
  });

  it('points into the SQL as written where the twin rewrote it (TOP, NVL), and on the right line', async () => {
    const { err } = await query('-- the first three\nSELECT TOP 3\n  NVL(titel, 0)\nFROM songs');
    expect(err.split('\n').slice(0, 3)).toEqual(['error: query:3:7: column "titel" does not exist', '    NVL(titel, 0)', '        ^']);
  });

  it('prints no place rather than a wrong one when the rewrite copied what the engine points at', async () => {
    // The lateral alias t is inlined as (titel): the engine's position is in one of two copies.
    const { code, err } = await query('select titel as t, t as u from songs');
    expect(code).toBe(1);
    expect(err).toBe('error: query: column "titel" does not exist\nhint: Perhaps you meant to reference the column "songs.title".');
  });

  it('places a named query’s error in its file, at the line of the file', async () => {
    const source = '-- Songs by title.\n\nSELECT\n  song_id,\n  titel\nFROM\n  songs;\n';
    const named: AnalystQuery = {
      name: 'by_title',
      description: 'Songs by title.',
      sql: trimStatement(source),
      source,
      file: 'sql/queries/by_title.sql',
    };
    // As sparkify query runs it (cli/main.ts): the twin's statement, its error placed by the CLI.
    const engine = await openEngine(db.target);
    const sent = await twinStatement(engine, named.sql, { file: named.file });
    const error = await engine
      .queryArrays(sent)
      .then(
        () => undefined,
        (caught: unknown) => placedEngineError(caught, named, sent),
      )
      .finally(() => engine.close());
    expect((error as Error).message).toBe(
      [
        'sql/queries/by_title.sql:5:3: column "titel" does not exist',
        '    titel',
        '    ^',
        'hint: Perhaps you meant to reference the column "songs.title".',
      ].join('\n'),
    );
  });
});

describe('sparkify query: a refusal of the Redshift gate', () => {
  it('looks alike: each place with its line and a caret', async () => {
    const { code, err } = await query("SELECT NOW(), STRING_AGG(level, ',') FROM users");
    expect(code).toBe(1);
    expect(err).toBe(
      [
        'error: Redshift would refuse this SQL:',
        '  query:1:8: the function NOW() is not Redshift SQL; Redshift offers GETDATE() or SYSDATE',
        "    SELECT NOW(), STRING_AGG(level, ',') FROM users",
        '           ^',
        '  query:1:15: the function STRING_AGG() is not Redshift SQL; Redshift offers LISTAGG(expression, delimiter) WITHIN GROUP (ORDER BY ...)',
        "    SELECT NOW(), STRING_AGG(level, ',') FROM users",
        '                  ^',
      ].join('\n'),
    );
  });
});
