import { beforeAll, describe, expect, it } from 'vitest';
import { checkAnalystQuery, resolveQuery } from '../../local/analyst-queries';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal, RedshiftGateError } from '../../local/redshift-gate/refusal';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { ACCEPTED, REFUSED } from '../support/redshift-cases';

// SPEC §7: the twin accepts only what Redshift documents and refuses the rest, naming the construct, file and line.
beforeAll(loadRedshiftGate);

const refusals = (sql: string) => checkRedshiftSql(sql, 'q.sql');

describe('the Redshift gate', () => {
  it.each(REFUSED)('refuses $name, naming the construct, file and line', ({ sql, line, construct }) => {
    const found = checkRedshiftSql(sql, 'sql/marts/users.sql');
    expect(found.map(formatRefusal).join('\n')).toMatch(construct);
    const named = found.find((refusal) => construct.test(refusal.construct));
    expect(named).toMatchObject({ file: 'sql/marts/users.sql', line });
  });

  it.each(Object.entries(ACCEPTED))('accepts %s', (_name, sql) => {
    expect(refusals(sql).map(formatRefusal)).toEqual([]);
  });

  it('says what Redshift offers instead', () => {
    expect(refusals("SELECT STRING_AGG(a, ',') FROM t")[0]?.instead).toMatch(/LISTAGG/);
    expect(refusals('SELECT NOW()')[0]?.instead).toMatch(/GETDATE\(\)/);
    expect(refusals('SELECT CURRENT_TIMESTAMP')[0]?.instead).toMatch(/GETDATE\(\)/);
  });

  it('counts lines and columns in characters after multi-byte text (parser offsets are bytes)', () => {
    const sql = "-- café — naïve “quotes” 日本語\nSELECT 'é', STRING_AGG(a, ',') FROM t";
    expect(refusals(sql)).toMatchObject([{ line: 2, column: 13, construct: 'the function STRING_AGG()' }]);
    expect(refusals('-- é\nSELECT a,\n  b\nFROM t\nWHERE a = = 1')).toMatchObject([{ line: 5, column: 11, syntax: true }]);
  });

  it('checks a QUALIFY condition in place', () => {
    expect(refusals("SELECT a FROM t\nQUALIFY STRING_AGG(b, ',') = 'x'\nORDER BY 1")).toMatchObject([{ line: 2, column: 9 }]);
  });

  it('refuses NULLS FIRST/LAST in a window ORDER BY, and allows it in a query ORDER BY', () => {
    expect(refusals('SELECT ROW_NUMBER() OVER (ORDER BY a NULLS LAST) FROM t')[0]?.construct).toMatch(/NULLS FIRST\/LAST in a window/);
    expect(refusals('SELECT a FROM t ORDER BY a NULLS FIRST')).toEqual([]);
  });

  it('checks COPY parameters against the COPY reference', () => {
    expect(refusals("COPY t FROM 's3://b/k' IAM_ROLE 'r' FORMAT AS JSON 'auto' MAXERROR 3")).toEqual([]);
    expect(refusals("COPY t FROM 's3://b/k' IAM_ROLE 'r' FORMAT AS JSON 'auto' BOGUS 1")[0]?.construct).toBe('COPY parameter BOGUS');
  });

  it('refuses the PostgreSQL types, functions and features Redshift lists as unsupported', () => {
    for (const sql of [
      'SELECT CAST(a AS UUID) FROM t',
      'SELECT a IS DISTINCT FROM b FROM t',
      'SELECT ARRAY[1, 2]',
      'SELECT * FROM (VALUES (1)) AS v (a)',
      'SAVEPOINT s',
      'CREATE TABLE t (a INTEGER CHECK (a > 0))',
    ]) {
      expect(refusals(sql), sql).not.toEqual([]);
    }
  });
});

// The CI check: every file of sql/ runs on Redshift, so a refused construct added to sql/ fails `npm test`.
describe('sql/', () => {
  const files = [...readSqlFiles()].filter(([file]) => file.endsWith('.sql'));

  it.each(files.map(([file]) => file))('sql/%s passes the Redshift gate', (file) => {
    expect(checkRedshiftSql(readSqlFiles().get(file) ?? '', `sql/${file}`).map(formatRefusal)).toEqual([]);
  });

  it('refuses a named analyst query that Redshift would not run, naming its file', async () => {
    const named = resolveQuery(readSqlFiles(), 'most_played_songs');
    await expect(checkAnalystQuery(named)).resolves.toBeUndefined();
    const edited = { ...named, source: named.source.replace(/COUNT\(\*\)/, "STRING_AGG(title, ',')") };
    const error = await checkAnalystQuery(edited).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedshiftGateError);
    expect((error as Error).message).toMatch(/sql\/queries\/most_played_songs\.sql:\d+:\d+: the function STRING_AGG\(\)/);
  });
});
