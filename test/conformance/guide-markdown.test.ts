import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../local/redshift-gate/parser';
import { examplesOfPage } from '../../tools/conformance/guide-markdown';

// How the extractor reads the guide's markdown: each layout below is copied from the page named.
beforeAll(async () => loadSqlParser());

const fence = '```';
const kept = (text: string) => examplesOfPage(text).kept.map(({ n, pair, table, volatile }) => ({ n, sql: pair.sql, ...table, volatile }));

describe('examplesOfPage', () => {
  it('reads SQL and its psql result in one block, footer and all (r_DATEADD_function)', () => {
    const page = `${fence}\nselect dateadd(month,18,'2008-02-28');\n\ndate_add\n---------------------\n2009-08-28 00:00:00\n(1 row)\n${fence}`;
    expect(kept(page)).toEqual([
      { n: 1, sql: "select dateadd(month,18,'2008-02-28');", columns: ['date_add'], rows: [['2009-08-28 00:00:00']], volatile: [] },
    ]);
  });

  it('joins a block of SQL to the result block after it, across one sentence (r_ASCII)', () => {
    const page = [
      'The following example returns the ASCII code 97 for the first letter of the word amazon\\. ',
      '',
      fence,
      "select ascii('amazon'); ",
      fence,
      '',
      'This example returns the following output\\.',
      '',
      fence,
      '  ascii',
      '-------',
      '    97',
      fence,
    ].join('\n');
    expect(kept(page)).toEqual([{ n: 1, sql: "select ascii('amazon');", columns: ['ascii'], rows: [['97']], volatile: [] }]);
  });

  it('does not join SQL to a result under another heading', () => {
    const page = [fence, 'select 1;', fence, '', '## Examples', '', fence, ' x', '---', ' 1', fence].join('\n');
    expect(examplesOfPage(page).kept).toEqual([]);
    expect(examplesOfPage(page).unanswered).toEqual(['select 1;']);
  });

  it('cuts psql columns at the bars, and numbers each pair of a page in order (CONVERT_TIMEZONE)', () => {
    const page = [
      fence,
      "select listtime, convert_timezone('PST', listtime) from listing;",
      '',
      ' listtime | convert_timezone',
      '----------+-----------------',
      ' 2008-08-24 09:36:12 | 2008-08-24 01:36:12',
      fence,
      fence,
      "select 1 as a, 'x y' as b;",
      '',
      ' a | b',
      '---+-----',
      ' 1 | x y',
      fence,
    ].join('\n');
    const found = examplesOfPage(page);
    expect(found.skipped.map(({ n, reason }) => ({ n, reason }))).toEqual([{ n: 1, reason: 'reads a table' }]);
    expect(kept(page)).toEqual([{ n: 2, sql: "select 1 as a, 'x y' as b;", columns: ['a', 'b'], rows: [['1', 'x y']], volatile: [] }]);
  });

  it('judges Redshift-only syntax PostgreSQL cannot parse by its FROM and JOIN (r_array, r_CONVERT_function)', () => {
    const array = `${fence}\nselect array(1,50,null,100);\n\n array\n------\n [1,50,null,100]\n${fence}`;
    expect(kept(array).map((c) => c.rows)).toEqual([[['[1,50,null,100]']]]);
    const table = `${fence}\nselect array(a, b) from t;\n\n array\n------\n [1,2]\n${fence}`;
    expect(examplesOfPage(table).skipped.map((s) => s.reason)).toEqual(['reads a table (FROM/JOIN, Redshift-only syntax)']);
    const extract = `${fence}\nselect convert(integer, extract(hour from timestamp '2008-01-01 10:00'));\n\n x\n---\n 10\n${fence}`;
    expect(kept(extract)).toHaveLength(1);
  });

  it('keeps a WITH query that reads only its own WITH names', () => {
    const page = `${fence}\nwith t as (select 1 as x) select x from t;\n\n x\n---\n 1\n${fence}`;
    expect(kept(page)).toHaveLength(1);
  });

  it('reads a one-column result with no dashes (r_DATE_TRUNC)', () => {
    const page = `${fence}\nSELECT DATE_TRUNC('second', TIMESTAMP '20200430 04:05:06.789');\ndate_trunc\n2020-04-30 04:05:06\n${fence}`;
    expect(kept(page).map((c) => [c.columns, c.rows])).toEqual([[['date_trunc'], [['2020-04-30 04:05:06']]]]);
  });

  it('reads nothing under the dashes as one row printing nothing (SOUNDEX, r_SUBSTRING)', () => {
    const bare = `${fence}\nselect soundex('+-*/%');\n${fence}\n\n${fence}\n soundex\n---------\n${fence}`;
    expect(kept(bare).map((c) => c.rows)).toEqual([[['']]]);
    const footer = `${fence}\nselect substring('caterpillar',-5,4);\n\nsubstring\n-----------\n\n(1 row)\n${fence}`;
    expect(kept(footer).map((c) => c.rows)).toEqual([[['']]]);
  });

  it('takes the statement after an earlier one whose ERROR the block prints (limitations-super)', () => {
    const page = `${fence}\nSELECT 5::decimal::bool;\nERROR:  cannot cast type numeric to boolean\n\nSELECT 5::super::bool;\n bool\n-------\n True\n(1 row)\n${fence}`;
    expect(kept(page).map((c) => c.sql)).toEqual(['SELECT 5::super::bool;']);
  });

  it('reads a box layout', () => {
    const page = `${fence}\nselect 1 as a, 2 as b;\n+---+---+\n| a | b |\n+---+---+\n| 1 | 2 |\n+---+---+\n${fence}`;
    expect(kept(page).map((c) => [c.columns, c.rows])).toEqual([[['a', 'b'], [['1', '2']]]]);
  });

  it('marks a case whose answer depends on when or where it runs, and skips an elided result', () => {
    const now = `${fence}\nselect getdate();\n\ntimestamp\n---------------------\n2008-12-04 16:10:43\n(1 row)\n${fence}`;
    expect(kept(now).map((c) => c.volatile)).toEqual([['getdate']]);
    const elided = `${fence}\nselect generate_series(1, 100);\n\n generate_series\n----\n 1\n...\n${fence}`;
    expect(examplesOfPage(elided).skipped.map((s) => s.reason)).toEqual(['result elided (...)']);
  });
});
