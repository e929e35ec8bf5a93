import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/** Redshift string and text-conversion functions PostgreSQL lacks, on the guide's examples. */
let rs: RedshiftSession;
beforeAll(async () => {
  rs = await openRedshiftSession();
});
afterAll(async () => rs.dispose());

describe('string functions', () => {
  it.each([
    ["SELECT STRTOL('0xf', 16)", '15'],
    ["SELECT STRTOL('abcd1234', 16)", '2882343476'],
    ["SELECT STRTOL('1234567', 10)", '1234567'],
    ["SELECT STRTOL('1234567', 8)", '342391'],
    ["SELECT STRTOL('110101', 2)", '53'],
    ["SELECT STRTOL('', 2)", '0'],
  ])('STRTOL: %s is %s (https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html)', async (sql, value) => {
    expect(await rs.row(sql)).toEqual([value]);
  });

  it('SOUNDEX (https://docs.aws.amazon.com/redshift/latest/dg/SOUNDEX.html)', async () => {
    expect(await rs.row("SELECT SOUNDEX('AWS Amazon'), SOUNDEX('+-*/%'), SOUNDEX('Amazon')")).toEqual(['A252', '', 'A525']);
  });

  it('DIFFERENCE (https://docs.aws.amazon.com/redshift/latest/dg/DIFFERENCE.html)', async () => {
    expect(await rs.row("SELECT DIFFERENCE('Amazon', '+-*/%'), DIFFERENCE('AC/DC', 'Ay See Dee See')")).toEqual(['0', '4']);
  });

  it('OCTETINDEX counts bytes (https://docs.aws.amazon.com/redshift/latest/dg/OCTETINDEX.html)', async () => {
    expect(await rs.row("SELECT OCTETINDEX('AWS', 'Amazon AWS'), OCTETINDEX('AWS', 'Άμαζον AWS')")).toEqual(['8', '14']);
  });

  it('REPEAT of a number and REGEXP_REPLACE without a replacement (https://docs.aws.amazon.com/redshift/latest/dg/r_REPEAT.html, REGEXP_REPLACE.html)', async () => {
    expect(await rs.row("SELECT REPEAT(1, 3), REGEXP_REPLACE('sed@lacusUtnec.ca', '@.*[.](org|gov|com|edu|ca)$')")).toEqual(['111', 'sed']);
  });
});

describe('CONCAT', () => {
  it('is NULL when either side is, as || is (https://docs.aws.amazon.com/redshift/latest/dg/r_CONCAT.html)', async () => {
    expect(
      await rs.row("SELECT CONCAT('December 25, ', '2008'), CONCAT('a', NULL), CONCAT(CONCAT('Thursday, ', 'December 25, '), '2008')"),
    ).toEqual(['December 25, 2008', 'NULL', 'Thursday, December 25, 2008']);
  });
});

describe('text conversion', () => {
  it.each([
    ["SELECT TEXT_TO_INT_ALT('123-')", '-123'],
    ["SELECT TEXT_TO_INT_ALT('2147483647+')", '2147483647'],
    ["SELECT TEXT_TO_INT_ALT('-123E-2')", '-1'],
    ["SELECT TEXT_TO_INT_ALT('123.123')", '123'],
  ])('TEXT_TO_INT_ALT: %s is %s (https://docs.aws.amazon.com/redshift/latest/dg/r_TEXT_TO_INT_ALT.html)', async (sql, value) => {
    expect(await rs.row(sql)).toEqual([value]);
  });

  it.each([
    ["SELECT TEXT_TO_NUMERIC_ALT('1.5')", '2'],
    ["SELECT TEXT_TO_NUMERIC_ALT('2.51')", '3'],
    ["SELECT TEXT_TO_NUMERIC_ALT('123.52501', 10, 2)", '123.53'],
    ["SELECT TEXT_TO_NUMERIC_ALT('-123E2')", '-12300'],
    ["SELECT TEXT_TO_NUMERIC_ALT('+123.456')", '123'],
    ["SELECT TEXT_TO_NUMERIC_ALT(REPEAT('9', 38) || '+')", '99999999999999999999999999999999999999'],
    // Half to even: .5 midway rounds to the even neighbour.
    ["SELECT TEXT_TO_NUMERIC_ALT('2.5')", '2'],
  ])('TEXT_TO_NUMERIC_ALT: %s is %s (https://docs.aws.amazon.com/redshift/latest/dg/r_TEXT_TO_NUMERIC_ALT.html)', async (sql, value) => {
    expect(await rs.row(sql)).toEqual([value]);
  });

  it('refuses the Teradata-style format rather than ignoring it', async () => {
    expect(await rs.failure("SELECT TEXT_TO_INT_ALT('123{', '999S')")).toMatch(
      /not supported offline: TEXT_TO_INT_ALT with a Teradata-style format/,
    );
  });
});
