import { createHash } from 'node:crypto';
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

  it("FNV_HASH keeps a CHAR's trailing blanks, as the page says (https://docs.aws.amazon.com/redshift/latest/dg/r_FNV_HASH.html)", async () => {
    expect(
      await rs.row("SELECT FNV_HASH(CAST('ab' AS CHAR(4))) = FNV_HASH('ab  '), FNV_HASH(CAST('ab' AS CHAR(4))) = FNV_HASH('ab')"),
    ).toEqual(['true', 'false']);
  });

  // The current page (the archived one repeats FNV_HASH's values, 64-bit numbers for an INT function).
  // Its MURMUR3_32_HASH('Amazon Redshift', MURMUR3_32_HASH(1)) = -1346554171 is not reproduced: Murmur3
  // seeded with 1392991556 gives -1713130188, and only seed -600425547 gives the page's value, while
  // the page's 'cd' seeded with MURMUR3_32_HASH('ab') matches standard seeding. Left out as a page error.
  it.each([
    ['SELECT MURMUR3_32_HASH(1)', '1392991556'],
    ["SELECT MURMUR3_32_HASH('Amazon Redshift')", '-1563580564'],
    ["SELECT MURMUR3_32_HASH('abcd')", '1139631978'],
    ["SELECT MURMUR3_32_HASH('cd', MURMUR3_32_HASH('ab'))", '1711522338'],
    // Apache Iceberg's own test vectors (https://iceberg.apache.org/spec/#appendix-b-32-bit-hash-requirements),
    // the binary form the page names.
    ['SELECT MURMUR3_32_HASH(34)', '2017239379'],
    ['SELECT MURMUR3_32_HASH(34::bigint)', '2017239379'],
    ['SELECT MURMUR3_32_HASH(14.20)', '-500754589'],
    ["SELECT MURMUR3_32_HASH(DATE '2017-11-16')", '-653330422'],
    ["SELECT MURMUR3_32_HASH(TIME '22:31:08')", '-662762989'],
    ["SELECT MURMUR3_32_HASH(TIMESTAMP '2017-11-16 22:31:08')", '-2047944441'],
    ["SELECT MURMUR3_32_HASH(TIMESTAMPTZ '2017-11-16 14:31:08-08')", '-2047944441'],
    ["SELECT MURMUR3_32_HASH('iceberg')", '1210000089'],
    ["SELECT MURMUR3_32_HASH(FROM_HEX('00010203'))", '-188683207'],
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

  it('SHA1, SHA and FUNC_SHA1 are SHA-1; SHA2 takes its bit count (https://docs.aws.amazon.com/redshift/latest/dg/SHA1.html, SHA2.html)', async () => {
    // The pages print no digest: the standard algorithms' digests of the page's string and of a two-block one.
    const digest = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
    const long = 'Amazon Redshift '.repeat(9);
    expect(await rs.row(`SELECT SHA1('Amazon Redshift'), SHA('Amazon Redshift'), FUNC_SHA1('Amazon Redshift'), SHA1('${long}')`)).toEqual([
      digest('sha1', 'Amazon Redshift'),
      digest('sha1', 'Amazon Redshift'),
      digest('sha1', 'Amazon Redshift'),
      digest('sha1', long),
    ]);
    expect(await rs.row("SELECT SHA2('Amazon Redshift', 256), SHA2('Amazon Redshift', 0), SHA2('Amazon Redshift', 512)")).toEqual([
      digest('sha256', 'Amazon Redshift'),
      digest('sha256', 'Amazon Redshift'),
      digest('sha512', 'Amazon Redshift'),
    ]);
  });

  it('refuses a value whose binary form the page does not give, rather than hashing it some other way', async () => {
    expect(await rs.failure('SELECT FNV_HASH(1.5)')).toMatch(/not supported offline: FNV_HASH of a numeric value/);
  });

  it('CHECKSUM is refused by the gate (https://docs.aws.amazon.com/redshift/latest/dg/r_CHECKSUM.html)', async () => {
    expect(await rs.failure('SELECT CHECKSUM(409)')).toMatch(/q\.sql:1:8: CHECKSUM is Redshift SQL that the offline twin does not run; /);
  });
});
