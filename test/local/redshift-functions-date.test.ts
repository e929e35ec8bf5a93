import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedshiftSession, type RedshiftSession } from '../support/redshift-query';

/** Redshift date functions PostgreSQL lacks, and TO_DATE's is_strict, on the guide's examples. */
let rs: RedshiftSession;
beforeAll(async () => {
  rs = await openRedshiftSession();
});
afterAll(async () => rs.dispose());

describe('date functions', () => {
  it('a TIMESTAMP keeps its microseconds (https://docs.aws.amazon.com/redshift/latest/dg/r_Datetime_types.html)', async () => {
    expect(
      await rs.row(
        "SELECT TIMESTAMP '2009-09-09 12:08:43.123456', TIMESTAMP '2009-09-09 12:08:43.000010', '2008-06-01 09:59:59.5'::timestamptz, DATE '2008-06-01'",
      ),
    ).toEqual(['2009-09-09 12:08:43.123456', '2009-09-09 12:08:43.00001', '2008-06-01 09:59:59.5+00', '2008-06-01']);
  });

  it('ADD_MONTHS keeps the last day of a month (https://docs.aws.amazon.com/redshift/latest/dg/r_ADD_MONTHS.html)', async () => {
    expect(await rs.row("SELECT ADD_MONTHS('2008-03-31', 1), ADD_MONTHS('2008-04-30', 1)")).toEqual([
      '2008-04-30 00:00:00',
      '2008-05-31 00:00:00',
    ]);
    expect(await rs.row("SELECT TRUNC(ADD_MONTHS(DATE '2008-01-01', 12))")).toEqual(['2009-01-01']);
  });

  it('MONTHS_BETWEEN (https://docs.aws.amazon.com/redshift/latest/dg/r_MONTHS_BETWEEN_function.html)', async () => {
    expect(await rs.row("SELECT MONTHS_BETWEEN('1969-01-18', '1969-03-18')")).toEqual(['-2']);
    // The page's event rows, printed there to two decimals: .38 Special and 3 Doors Down.
    const [special, doors] = await rs.row(
      "SELECT MONTHS_BETWEEN('2008-12-25 15:00:00', '2008-01-21 19:30:00'), MONTHS_BETWEEN('2008-12-01 19:30:00', '2008-01-03 15:00:00')",
    );
    expect(Number(special).toFixed(2)).toBe('11.12');
    expect(Number(doors).toFixed(2)).toBe('10.94');
  });

  it('NEXT_DAY (https://docs.aws.amazon.com/redshift/latest/dg/r_NEXT_DAY.html)', async () => {
    expect(
      await rs.row(
        "SELECT NEXT_DAY('2014-08-20', 'Tuesday'), NEXT_DAY(TIMESTAMP '2008-01-01 05:54:44', 'Tue'), NEXT_DAY('2008-07-06', 'Monday')",
      ),
    ).toEqual(['2014-08-26', '2008-01-08', '2008-07-07']);
  });

  it('DATE_PART_YEAR (https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_YEAR.html)', async () => {
    expect(await rs.row("SELECT DATE_PART_YEAR(DATE '20220502 04:05:06.789')")).toEqual(['2022']);
    expect(await rs.row("SELECT DATE_PART_YEAR(TIMESTAMP '2008-01-01 05:54:44'), DATE_PART_YEAR('2008-01-10')")).toEqual(['2008', '2008']);
  });

  it('TO_DATE with is_strict (https://docs.aws.amazon.com/redshift/latest/dg/r_TO_DATE_function.html)', async () => {
    expect(await rs.row("SELECT TO_DATE('02 Oct 2001', 'DD Mon YYYY')")).toEqual(['2001-10-02']);
    expect(await rs.row("SELECT TO_DATE('20010631', 'YYYYMMDD', FALSE)")).toEqual(['2001-07-01']);
    expect(await rs.failure("SELECT TO_DATE('20010631', 'YYYYMMDD', TRUE)")).toMatch(/date\/time field value out of range/);
  });
});
