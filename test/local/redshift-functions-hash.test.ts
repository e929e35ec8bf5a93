import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/** Redshift's hash functions, bit for bit, on the guide's own examples (values as the pages print them). */
let rs: RedshiftSession;
beforeAll(async () => {
  rs = await openRedshiftSession();
});
afterAll(async () => rs.dispose());

describe('hash functions', () => {
  it.each([
    ['SELECT FNV_HASH(1)', '-5968735742475085980'],
    ["SELECT FNV_HASH('Amazon Redshift')", '7783490368944507294'],
    ["SELECT FNV_HASH('Amazon Redshift', FNV_HASH(1))", '-2202602717770968555'],
    ["SELECT FNV_HASH('abcd')", '-281581062704388899'],
    ["SELECT FNV_HASH('cd', FNV_HASH('ab'))", '-281581062704388899'],
    ['SELECT FNV_HASH(1::smallint)', '589727492704079044'],
    ['SELECT FNV_HASH(1::bigint)', '-8517097267634966620'],
  ])('FNV_HASH: %s is %s (https://docs.aws.amazon.com/redshift/latest/dg/r_FNV_HASH.html)', async (sql, value) => {
    expect(await rs.row(sql)).toEqual([value]);
  });

  // The current page (the archived one repeats FNV_HASH's values, 64-bit numbers for an INT function).
  it.each([
    ['SELECT MURMUR3_32_HASH(1)', '1392991556'],
    ["SELECT MURMUR3_32_HASH('Amazon Redshift')", '-1563580564'],
    ["SELECT MURMUR3_32_HASH('abcd')", '1139631978'],
    ["SELECT MURMUR3_32_HASH('cd', MURMUR3_32_HASH('ab'))", '1711522338'],
    // Apache Iceberg's own test vectors, the binary form the page names.
    ['SELECT MURMUR3_32_HASH(34)', '2017239379'],
    ["SELECT MURMUR3_32_HASH('iceberg')", '1210000089'],
  ])('MURMUR3_32_HASH: %s is %s (https://docs.aws.amazon.com/redshift/latest/dg/MURMUR3_32_HASH.html)', async (sql, value) => {
    expect(await rs.row(sql)).toEqual([value]);
  });

  it('CRC32 is CRC-32C, not PostgreSQL 18 crc32 (https://docs.aws.amazon.com/redshift/latest/dg/crc32-function.html)', async () => {
    expect(await rs.row("SELECT CRC32('Amazon Redshift')")).toEqual(['f2726906']);
  });

  it('FARMFINGERPRINT64 of a VARCHAR and of a VARBYTE (https://docs.aws.amazon.com/redshift/latest/dg/r_FARMFINGERPRINT64.html)', async () => {
    expect(await rs.row("SELECT FARMFINGERPRINT64('Amazon Redshift')")).toEqual(['8085098817162212970']);
    expect(await rs.row("SELECT FARMFINGERPRINT64('Amazon Redshift'::varbyte)")).toEqual(['8085098817162212970']);
  });

  it('refuses a value whose binary form the page does not give, rather than hashing it some other way', async () => {
    expect(await rs.failure('SELECT FNV_HASH(1.5)')).toMatch(/not supported offline: FNV_HASH of a numeric value/);
  });

  it('CHECKSUM is refused by the gate (https://docs.aws.amazon.com/redshift/latest/dg/r_CHECKSUM.html)', async () => {
    expect(await rs.failure('SELECT CHECKSUM(409)')).toMatch(/q\.sql:1:8: CHECKSUM is Redshift SQL that the offline twin does not run; /);
  });
});
