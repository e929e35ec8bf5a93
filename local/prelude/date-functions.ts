/**
 * Redshift date functions PostgreSQL lacks (https://docs.aws.amazon.com/redshift/latest/dg/Date_functions_header.html).
 * Each takes a TIMESTAMP (a DATE or a date string converts to one, as in Redshift); one signature
 * per function, so a string literal has one reading.
 */
export const DATE_FUNCTIONS_SQL = `DO $date_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_ADD_MONTHS.html: "If the date is the last day
  -- of the month, or if the resulting month is shorter, the function returns the last day of the
  -- month in the result" (2008-03-31 + 1 = 2008-04-30, 2008-04-30 + 1 = 2008-05-31); a TIMESTAMP.
  CREATE OR REPLACE FUNCTION public.add_months(ts timestamp, n integer) RETURNS timestamp LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE
      WHEN (ts + interval '1 day')::date = date_trunc('month', ts + interval '1 day')::date
        THEN date_trunc('month', ts + (n + 1) * interval '1 month') - interval '1 day' + (ts - date_trunc('day', ts))
      ELSE ts + n * interval '1 month'
    END$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_MONTHS_BETWEEN_function.html: whole months from
  -- the years and months; a fraction from the days and times "and assumes a 31-day month"; a whole
  -- number when both are the same day of the month or both the last day of theirs. FLOAT8.
  CREATE OR REPLACE FUNCTION public.months_between(d1 timestamp, d2 timestamp) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE
      WHEN extract(day FROM d1) = extract(day FROM d2)
        OR ((d1 + interval '1 day')::date = date_trunc('month', d1 + interval '1 day')::date
            AND (d2 + interval '1 day')::date = date_trunc('month', d2 + interval '1 day')::date)
        THEN whole::float8
      ELSE (whole + (extract(day FROM d1) - extract(day FROM d2)
                     + (extract(epoch FROM d1 - date_trunc('day', d1)) - extract(epoch FROM d2 - date_trunc('day', d2))) / 86400) / 31)::float8
    END
    FROM (SELECT (extract(year FROM d1) - extract(year FROM d2)) * 12 + extract(month FROM d1) - extract(month FROM d2) AS whole) AS m$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_NEXT_DAY.html: the first date after the given
  -- one that falls on the named day (the same weekday gives the next week's); day names as the
  -- page lists them (Su/Sun/Sunday, M/Mo/Mon/Monday, Tu/Tue/Tues/Tuesday, W/We/Wed/Wednesday,
  -- Th/Thu/Thurs/Thursday, F/Fr/Fri/Friday, Sa/Sat/Saturday), in any case. A DATE.
  CREATE OR REPLACE FUNCTION public.next_day(ts timestamp, day text) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    dow int := CASE lower(trim(day))
      WHEN 'su' THEN 0 WHEN 'sun' THEN 0 WHEN 'sunday' THEN 0
      WHEN 'm' THEN 1 WHEN 'mo' THEN 1 WHEN 'mon' THEN 1 WHEN 'monday' THEN 1
      WHEN 'tu' THEN 2 WHEN 'tue' THEN 2 WHEN 'tues' THEN 2 WHEN 'tuesday' THEN 2
      WHEN 'w' THEN 3 WHEN 'we' THEN 3 WHEN 'wed' THEN 3 WHEN 'wednesday' THEN 3
      WHEN 'th' THEN 4 WHEN 'thu' THEN 4 WHEN 'thurs' THEN 4 WHEN 'thursday' THEN 4
      WHEN 'f' THEN 5 WHEN 'fr' THEN 5 WHEN 'fri' THEN 5 WHEN 'friday' THEN 5
      WHEN 'sa' THEN 6 WHEN 'sat' THEN 6 WHEN 'saturday' THEN 6
    END;
  BEGIN
    IF dow IS NULL THEN
      RAISE EXCEPTION 'NEXT_DAY: invalid day name %', day USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN ts::date + (6 + dow - extract(dow FROM ts)::int) % 7 + 1;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_YEAR.html: the year, an INTEGER, of "a
  -- date column or an expression that implicitly converts to a date" (a TIMESTAMP does).
  CREATE OR REPLACE FUNCTION public.date_part_year(d timestamp) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT extract(year FROM d)::integer$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_LAST_DAY.html: the last day of the month that
  -- contains the date, "always DATE, regardless of the data type of the date argument".
  CREATE OR REPLACE FUNCTION public.last_day(ts timestamp) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT (date_trunc('month', ts) + interval '1 month' - interval '1 day')::date$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNC_date.html: TRUNC of a TIMESTAMP is its DATE.
  CREATE OR REPLACE FUNCTION public.trunc(ts timestamp) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT ts::date$f$;

END
$date_functions$;
`;
