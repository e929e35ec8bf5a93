/**
 * Redshift functions PostgreSQL lacks, created in public (on every default search_path) so the
 * translated SQL can call them by their Redshift names. Each one follows the Redshift page cited
 * beside it; what the twin cannot answer as Redshift does raises "not supported offline: ...".
 * The dialect bridge (local/dialect-bridge.ts) turns DATEADD/DATEDIFF's bare date part into a
 * string and rewrites the constructs that are syntax rather than functions (NVL2, DECODE,
 * LISTAGG, TOP, QUALIFY, MINUS, APPROXIMATE).
 *
 * CREATE OR REPLACE keeps it idempotent; the whole part runs under one transaction-scoped
 * advisory lock, because two sessions replacing one function at once fail ("tuple concurrently
 * updated").
 */
export const REDSHIFT_FUNCTIONS_SQL = `DO $redshift_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- Redshift GETDATE(): timestamp without time zone, whole seconds.
  CREATE OR REPLACE FUNCTION public.getdate() RETURNS timestamp without time zone
    LANGUAGE sql VOLATILE AS $f$SELECT date_trunc('second', clock_timestamp())::timestamp$f$;

  -- Rows loaded by the session's last COPY: the COPY emulation sets sparkify.last_copy_count.
  CREATE OR REPLACE FUNCTION public.pg_last_copy_count() RETURNS bigint
    LANGUAGE sql STABLE AS $f$SELECT coalesce(nullif(current_setting('sparkify.last_copy_count', true), '')::bigint, 0)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html: characters, not bytes; a CHAR's
  -- trailing blanks are not counted, a VARCHAR's are (PostgreSQL's length(bpchar) and
  -- length(text) count the same way); a VARBYTE's length is its bytes.
  CREATE OR REPLACE FUNCTION public.len(text) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT length($1)$f$;
  CREATE OR REPLACE FUNCTION public.len(character) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT length($1)$f$;
  CREATE OR REPLACE FUNCTION public.len(bytea) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT octet_length($1)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_CHARINDEX.html: synonym of STRPOS, 1-based
  -- position in characters, 0 when absent.
  CREATE OR REPLACE FUNCTION public.charindex(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$SELECT strpos($2, $1)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_ROUND.html: "ROUND returns the same numeric
  -- data type as the input", so a DOUBLE PRECISION rounded to n places is one (PostgreSQL's
  -- round(numeric, integer) takes no DOUBLE PRECISION; ST_DistanceSphere-function.html rounds one).
  CREATE OR REPLACE FUNCTION public.round(x double precision, n integer) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(pg_catalog.round(CAST(x AS numeric), n) AS double precision)$f$;

  -- Raised where the twin would otherwise answer differently from Redshift. VOLATILE: a constant
  -- argument must not let the planner raise it for a branch that never runs.
  CREATE OR REPLACE FUNCTION public.sparkify_not_supported(what text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
  BEGIN
    RAISE EXCEPTION 'not supported offline: %', what USING ERRCODE = 'feature_not_supported';
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html: the
  -- date parts and abbreviations DATEADD and DATEDIFF accept (epoch, day of week and day of year
  -- are for DATE_PART and EXTRACT only).
  CREATE OR REPLACE FUNCTION public.sparkify_datepart(fn text, part text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
  BEGIN
    RETURN CASE
      WHEN part IS NULL THEN NULL
      WHEN lower(part) IN ('millennium', 'millennia', 'mil', 'mils') THEN 'millennium'
      WHEN lower(part) IN ('century', 'centuries', 'c', 'cent', 'cents') THEN 'century'
      WHEN lower(part) IN ('decade', 'decades', 'dec', 'decs') THEN 'decade'
      WHEN lower(part) IN ('year', 'years', 'y', 'yr', 'yrs') THEN 'year'
      WHEN lower(part) IN ('quarter', 'quarters', 'qtr', 'qtrs') THEN 'quarter'
      WHEN lower(part) IN ('month', 'months', 'mon', 'mons') THEN 'month'
      WHEN lower(part) IN ('week', 'weeks', 'w') THEN 'week'
      WHEN lower(part) IN ('day', 'days', 'd') THEN 'day'
      WHEN lower(part) IN ('hour', 'hours', 'h', 'hr', 'hrs') THEN 'hour'
      WHEN lower(part) IN ('minute', 'minutes', 'm', 'min', 'mins') THEN 'minute'
      WHEN lower(part) IN ('second', 'seconds', 's', 'sec', 'secs') THEN 'second'
      WHEN lower(part) IN ('millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon')
        THEN 'millisecond'
      WHEN lower(part) IN ('microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs')
        THEN 'microsecond'
      ELSE public.sparkify_not_supported(format('%s date part %s: Redshift documents millennium, century, decade, year, quarter, month, week, day, hour, minute, second, millisecond and microsecond', fn, part))
    END;
  END $f$;

  -- EXTRACT and DATE_PART. The dialect bridge passes the date part by its full name
  -- (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html) and
  -- calls these by schema, so PostgreSQL's own date_part never answers. Plain SQL bodies with the
  -- part a constant: PostgreSQL inlines them down to the one branch, as fast as date_part itself.
  -- A part a type does not have is raised (IMMUTABLE, given the part: a branch not taken is never run).
  CREATE OR REPLACE FUNCTION public.sparkify_bad_datepart(fn text, part text, source text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
  BEGIN
    RAISE EXCEPTION '%(%) of a % value is Redshift SQL that the offline twin does not run', fn, part, source
      USING ERRCODE = 'feature_not_supported',
        HINT = 'extract a part Redshift documents for that type (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html); for the time between two timestamps use DATEDIFF';
  END $f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_EXTRACT_function.html: INTEGER from a TIMESTAMP,
  -- TIME or TIMETZ, DOUBLE PRECISION from a TIMESTAMPTZ; the default column name is date_part.
  -- r_Dateparts_for_datetime_functions.html: EXTRACT returns the part only, "ignoring higher- and
  -- lower-level date parts": second without its fraction (03.189717 is 3), millisecond without the
  -- seconds and microseconds (43.101 is 101, 33.123456 is 123), microsecond without the seconds
  -- and milliseconds; decade N spans years (N-1)*10 to N*10-1 (1999 is 200, 2000 is 201, 2010 is
  -- 202); century and millennium start in years ending in 1, as PostgreSQL's do. A DATE or a string
  -- is read as a TIMESTAMP.
  CREATE OR REPLACE FUNCTION public.date_part(part text, ts timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE part
      WHEN 'decade' THEN CAST(div(extract(year FROM ts), 10) + 1 AS integer)
      WHEN 'epoch' THEN CAST(trunc(extract(epoch FROM ts)) AS integer)
      WHEN 'second' THEN CAST(div(extract(microseconds FROM ts), 1000000) AS integer)
      WHEN 'millisecond' THEN CAST(mod(div(extract(microseconds FROM ts), 1000), 1000) AS integer)
      WHEN 'microsecond' THEN CAST(mod(extract(microseconds FROM ts), 1000) AS integer)
      WHEN 'timezone' THEN CAST(public.sparkify_bad_datepart('EXTRACT', part, 'TIMESTAMP') AS integer)
      WHEN 'timezone_hour' THEN CAST(public.sparkify_bad_datepart('EXTRACT', part, 'TIMESTAMP') AS integer)
      WHEN 'timezone_minute' THEN CAST(public.sparkify_bad_datepart('EXTRACT', part, 'TIMESTAMP') AS integer)
      ELSE CAST(pg_catalog.date_part(part, ts) AS integer)
    END$f$;
  CREATE OR REPLACE FUNCTION public.date_part(part text, d date) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.date_part(part, CAST(d AS timestamp))$f$;
  CREATE OR REPLACE FUNCTION public.date_part(part text, ts text) RETURNS integer LANGUAGE sql STABLE AS $f$
    SELECT public.date_part(part, CAST(ts AS timestamp))$f$;
  -- TIMESTAMPTZ: the same parts as DOUBLE PRECISION; its zone is the session's, UTC, as on Redshift.
  CREATE OR REPLACE FUNCTION public.date_part(part text, ts timestamptz) RETURNS double precision LANGUAGE sql STABLE AS $f$
    SELECT CASE part
      WHEN 'timezone' THEN pg_catalog.date_part(part, ts)
      WHEN 'timezone_hour' THEN pg_catalog.date_part(part, ts)
      WHEN 'timezone_minute' THEN pg_catalog.date_part(part, ts)
      ELSE CAST(public.date_part(part, CAST(ts AS timestamp)) AS double precision)
    END$f$;
  -- TIME and TIMETZ hold hour, minute, second, millisecond and microsecond (the page's examples:
  -- ms of time '18:25:33.123456' is 123); a TIMETZ literal is not converted to UTC first
  -- (timezone_hour of timetz '07:37:16.00 PDT' is -7).
  CREATE OR REPLACE FUNCTION public.date_part(part text, t time) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE part
      WHEN 'hour' THEN CAST(pg_catalog.date_part(part, t) AS integer)
      WHEN 'minute' THEN CAST(pg_catalog.date_part(part, t) AS integer)
      WHEN 'second' THEN CAST(div(extract(microseconds FROM t), 1000000) AS integer)
      WHEN 'millisecond' THEN CAST(mod(div(extract(microseconds FROM t), 1000), 1000) AS integer)
      WHEN 'microsecond' THEN CAST(mod(extract(microseconds FROM t), 1000) AS integer)
      ELSE CAST(public.sparkify_bad_datepart('EXTRACT', part, 'TIME') AS integer)
    END$f$;
  CREATE OR REPLACE FUNCTION public.date_part(part text, t timetz) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE part
      WHEN 'timezone' THEN CAST(pg_catalog.date_part(part, t) AS integer)
      WHEN 'timezone_hour' THEN CAST(pg_catalog.date_part(part, t) AS integer)
      WHEN 'timezone_minute' THEN CAST(pg_catalog.date_part(part, t) AS integer)
      ELSE public.date_part(part, CAST(t AS time))
    END$f$;
  -- INTERVAL: the archived page documents no interval source and no example of one.
  CREATE OR REPLACE FUNCTION public.date_part(part text, i interval) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(public.sparkify_bad_datepart('EXTRACT', part, 'INTERVAL') AS integer)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_PART_function.html: DOUBLE PRECISION,
  -- default column name pgdate_part. The seconds with their fraction (r_Dateparts_for_datetime_functions.html:
  -- date_part(sec, '11:10:03.189717') is 3.189717), microsecond the fraction only (DATE_PART(microsecond,
  -- '04:05:06.789') is 789000), decade as EXTRACT's. Not given offline: millisecond, which no page
  -- shows for DATE_PART (PostgreSQL's counts the seconds in), and a TIME, TIMETZ or INTERVAL source,
  -- which the page does not take.
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, ts timestamp) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE part
      WHEN 'decade' THEN CAST(div(extract(year FROM ts), 10) + 1 AS double precision)
      WHEN 'microsecond' THEN CAST(mod(extract(microseconds FROM ts), 1000000) AS double precision)
      WHEN 'millisecond' THEN CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIMESTAMP') AS double precision)
      WHEN 'timezone' THEN CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIMESTAMP') AS double precision)
      WHEN 'timezone_hour' THEN CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIMESTAMP') AS double precision)
      WHEN 'timezone_minute' THEN CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIMESTAMP') AS double precision)
      ELSE pg_catalog.date_part(part, ts)
    END$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, d date) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.pgdate_part(part, CAST(d AS timestamp))$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, ts text) RETURNS double precision LANGUAGE sql STABLE AS $f$
    SELECT public.pgdate_part(part, CAST(ts AS timestamp))$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, ts timestamptz) RETURNS double precision LANGUAGE sql STABLE AS $f$
    SELECT CASE part
      WHEN 'timezone' THEN pg_catalog.date_part(part, ts)
      WHEN 'timezone_hour' THEN pg_catalog.date_part(part, ts)
      WHEN 'timezone_minute' THEN pg_catalog.date_part(part, ts)
      ELSE public.pgdate_part(part, CAST(ts AS timestamp))
    END$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, t time) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIME') AS double precision)$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, t timetz) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(public.sparkify_bad_datepart('DATE_PART', part, 'TIMETZ') AS double precision)$f$;
  CREATE OR REPLACE FUNCTION public.pgdate_part(part text, i interval) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(public.sparkify_bad_datepart('DATE_PART', part, 'INTERVAL') AS double precision)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html: the page documents no
  -- back references or escapes in replace_string, which PostgreSQL reads in a backslash.
  CREATE OR REPLACE FUNCTION public.sparkify_regexp_replacement(replacement text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
  BEGIN
    IF strpos(replacement, E'\\\\') > 0 THEN
      RAISE EXCEPTION 'REGEXP_REPLACE with a backslash in replace_string is Redshift SQL that the offline twin does not run'
        USING ERRCODE = 'feature_not_supported', HINT = 'the page documents no escapes in replace_string; build the text without a backslash';
    END IF;
    RETURN replacement;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TO_TIMESTAMP.html: TIMESTAMPTZ; an empty
  -- string is 0001-01-01 00:00:00; unless is_strict, an out-of-range value overflows into the next
  -- unit ('2011-12-18 24:38:15' is 2011-12-19 00:38:15), with is_strict it is an error. Offline the
  -- overflow is carried for the page's case, an HH24 hour of 24 or more whose place in the string
  -- the fields before it fix (YYYY, MM, DD and separators); any other overflow is refused.
  CREATE OR REPLACE FUNCTION public.to_timestamp(ts text, format text, is_strict boolean DEFAULT false) RETURNS timestamptz
    LANGUAGE plpgsql STABLE AS $f$
  DECLARE
    prefix text;
    at integer;
    hour integer;
  BEGIN
    IF ts IS NULL OR format IS NULL THEN RETURN NULL; END IF;
    IF ts = '' THEN RETURN timestamptz '0001-01-01 00:00:00+00'; END IF;
    RETURN pg_catalog.to_timestamp(ts, format);
  EXCEPTION WHEN datetime_field_overflow THEN
    IF is_strict THEN RAISE; END IF;
    prefix := substring(format FROM '^(.*?)HH24');
    IF prefix IS NOT NULL AND prefix ~ '^(YYYY|MM|DD|[^A-Za-z])*$' THEN
      at := length(prefix) + 1; -- each of YYYY, MM, DD is as wide as its digits
      IF substr(ts, at, 2) ~ '^[0-9]{2}$' AND substr(ts, at + 2, 1) !~ '[0-9]' AND substr(ts, at, 2)::integer >= 24 THEN
        hour := substr(ts, at, 2)::integer;
        RETURN pg_catalog.to_timestamp(overlay(ts PLACING lpad((hour % 24)::text, 2, '0') FROM at FOR 2), format) + (hour / 24) * interval '1 day';
      END IF;
    END IF;
    RAISE EXCEPTION 'TO_TIMESTAMP with a field out of range (%, %) is Redshift SQL that the offline twin does not run', quote_literal(ts), quote_literal(format)
      USING ERRCODE = 'feature_not_supported', HINT = 'write the value in range, or pass is_strict TRUE to have it refused as on Redshift';
  END $f$;
  CREATE OR REPLACE FUNCTION public.to_timestamp(ts timestamp, format text, is_strict boolean DEFAULT false) RETURNS timestamptz
    LANGUAGE sql STABLE AS $f$SELECT public.to_timestamp(CAST(ts AS text), format, is_strict)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html: months clamp to the
  -- result month's length (April 30 + 1 month = May 30, 2016-02-29 + 12 months = 2017-02-28),
  -- but a year does not: 2016-02-29 + 1 year = 2017-03-01. The doc shows that only for years; a
  -- decade, century or millennium landing on a missing February 29 is refused.
  CREATE OR REPLACE FUNCTION public.dateadd(part text, n bigint, ts timestamp) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE
    p text := public.sparkify_datepart('DATEADD', part);
    years bigint;
    result timestamp;
  BEGIN
    IF p IS NULL OR n IS NULL OR ts IS NULL THEN RETURN NULL; END IF;
    IF p IN ('year', 'decade', 'century', 'millennium') THEN
      years := n * CASE p WHEN 'year' THEN 1 WHEN 'decade' THEN 10 WHEN 'century' THEN 100 ELSE 1000 END;
      result := ts + years * interval '1 year';
      IF extract(month FROM ts) = 2 AND extract(day FROM ts) = 29 AND extract(day FROM result) = 28 THEN
        IF p <> 'year' THEN
          PERFORM public.sparkify_not_supported(format('DATEADD(%s, ...) from February 29 to a year without one (the doc only shows year)', part));
        END IF;
        result := result + interval '1 day';
      END IF;
      RETURN result;
    END IF;
    RETURN ts + n * CASE p
      WHEN 'quarter' THEN interval '3 months'
      WHEN 'month' THEN interval '1 month'
      WHEN 'week' THEN interval '7 days'
      WHEN 'day' THEN interval '1 day'
      WHEN 'hour' THEN interval '1 hour'
      WHEN 'minute' THEN interval '1 minute'
      WHEN 'second' THEN interval '1 second'
      WHEN 'millisecond' THEN interval '1 millisecond'
      ELSE interval '1 microsecond'
    END;
  END $f$;
  -- A string literal (an unknown-typed argument resolves to text) converts to a timestamp, as in Redshift.
  CREATE OR REPLACE FUNCTION public.dateadd(part text, n bigint, ts text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.dateadd(part, n, ts::timestamp)$f$;
  -- TIME wraps past midnight (the doc's 13:24:55 + 12 hours = 01:24:55); TIMETZ answers in UTC
  -- (13:24:55 PST + 2 hours = 23:24:55+00). Date parts above hour are not in a time.
  CREATE OR REPLACE FUNCTION public.sparkify_time_step(fn text, part text) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE p text := public.sparkify_datepart(fn, part);
  BEGIN
    RETURN CASE p
      WHEN 'hour' THEN interval '1 hour'
      WHEN 'minute' THEN interval '1 minute'
      WHEN 'second' THEN interval '1 second'
      WHEN 'millisecond' THEN interval '1 millisecond'
      WHEN 'microsecond' THEN interval '1 microsecond'
      ELSE CAST(public.sparkify_not_supported(format('%s(%s, ...) on a TIME or TIMETZ value', fn, part)) AS interval)
    END;
  END $f$;
  CREATE OR REPLACE FUNCTION public.dateadd(part text, n bigint, t time) RETURNS time LANGUAGE sql IMMUTABLE AS $f$
    SELECT t + n * public.sparkify_time_step('DATEADD', part)$f$;
  CREATE OR REPLACE FUNCTION public.dateadd(part text, n bigint, t timetz) RETURNS timetz LANGUAGE sql IMMUTABLE AS $f$
    SELECT (t + n * public.sparkify_time_step('DATEADD', part)) AT TIME ZONE 'UTC'$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html: the number of date
  -- part boundaries crossed (2008-12-31 to 2009-01-01 is 1 year; 8:30 to 10:00 is 2 hours), not
  -- the elapsed units. A week boundary is a Monday, the start of Redshift's week
  -- (https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html: 'week' truncates to the
  -- Monday). Decades start in years ending in 0, centuries and millennia in years ending in 1
  -- (https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html).
  CREATE OR REPLACE FUNCTION public.datediff(part text, a timestamp, b timestamp) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE p text := public.sparkify_datepart('DATEDIFF', part);
  BEGIN
    IF p IS NULL OR a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
    RETURN CASE p
      WHEN 'millennium' THEN extract(millennium FROM b) - extract(millennium FROM a)
      WHEN 'century' THEN extract(century FROM b) - extract(century FROM a)
      WHEN 'decade' THEN floor(extract(year FROM b) / 10) - floor(extract(year FROM a) / 10)
      WHEN 'year' THEN extract(year FROM b) - extract(year FROM a)
      WHEN 'quarter' THEN (extract(year FROM b) * 4 + extract(quarter FROM b)) - (extract(year FROM a) * 4 + extract(quarter FROM a))
      WHEN 'month' THEN (extract(year FROM b) * 12 + extract(month FROM b)) - (extract(year FROM a) * 12 + extract(month FROM a))
      WHEN 'week' THEN (date_trunc('week', b)::date - date_trunc('week', a)::date) / 7
      WHEN 'day' THEN b::date - a::date
      WHEN 'hour' THEN (extract(epoch FROM date_trunc('hour', b)) - extract(epoch FROM date_trunc('hour', a))) / 3600
      WHEN 'minute' THEN (extract(epoch FROM date_trunc('minute', b)) - extract(epoch FROM date_trunc('minute', a))) / 60
      WHEN 'second' THEN extract(epoch FROM date_trunc('second', b)) - extract(epoch FROM date_trunc('second', a))
      WHEN 'millisecond' THEN (extract(epoch FROM date_trunc('milliseconds', b)) - extract(epoch FROM date_trunc('milliseconds', a))) * 1000
      ELSE (extract(epoch FROM b) - extract(epoch FROM a)) * 1000000
    END;
  END $f$;
  CREATE OR REPLACE FUNCTION public.datediff(part text, a text, b text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.datediff(part, a::timestamp, b::timestamp)$f$;
  -- TIME: boundaries within the day (the doc's 20:00:00 to 15:24:45 is -5 hours); TIMETZ compares
  -- the UTC times (20:00:00 PST to 00:58:00 EST is 1 hour).
  CREATE OR REPLACE FUNCTION public.datediff(part text, a time, b time) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT CAST(floor(extract(epoch FROM b) / extract(epoch FROM public.sparkify_time_step('DATEDIFF', part)))
              - floor(extract(epoch FROM a) / extract(epoch FROM public.sparkify_time_step('DATEDIFF', part))) AS bigint)$f$;
  CREATE OR REPLACE FUNCTION public.datediff(part text, a timetz, b timetz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.datediff(part, CAST(a AT TIME ZONE 'UTC' AS time), CAST(b AT TIME ZONE 'UTC' AS time))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/CONVERT_TIMEZONE.html: a zone name follows its
  -- daylight-saving rules, an abbreviation is a fixed offset (PostgreSQL's AT TIME ZONE does both
  -- the same way). A zone ending in a numeric offset is POSIX-style, the offset in hours WEST of
  -- UTC and the name before it only a label: 'NEWZONE +2', 'America/Los_Angeles+2' and 'GMT+2'
  -- all turn 12:00 UTC into 10:00, 'NEWZONE-2:15' into 14:15. The source zone defaults to UTC.
  CREATE OR REPLACE FUNCTION public.sparkify_posix_offset(zone text) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE m text[];
  BEGIN
    IF zone ~ '^\\s*[-+0-9]' THEN
      PERFORM public.sparkify_not_supported(format('CONVERT_TIMEZONE zone %L: give a zone name, an abbreviation or a POSIX-style NAME+offset', zone));
    END IF;
    m := regexp_match(zone, '^\\s*[A-Za-z][^+-]*?\\s*([+-]?)([0-9]{1,2})(?::([0-9]{2}))?\\s*$');
    IF m IS NULL THEN RETURN NULL; END IF;
    RETURN (CASE WHEN m[1] = '-' THEN -1 ELSE 1 END) * (m[2]::int * interval '1 hour' + coalesce(m[3], '0')::int * interval '1 minute');
  END $f$;
  CREATE OR REPLACE FUNCTION public.convert_timezone(source_zone text, target_zone text, ts timestamp) RETURNS timestamp LANGUAGE plpgsql STABLE AS $f$
  DECLARE
    source_west interval := public.sparkify_posix_offset(source_zone);
    target_west interval := public.sparkify_posix_offset(target_zone);
    utc timestamp;
  BEGIN
    utc := CASE WHEN source_west IS NOT NULL THEN ts + source_west ELSE (ts AT TIME ZONE source_zone) AT TIME ZONE 'UTC' END;
    RETURN CASE WHEN target_west IS NOT NULL THEN utc - target_west ELSE (utc AT TIME ZONE 'UTC') AT TIME ZONE target_zone END;
  END $f$;
  CREATE OR REPLACE FUNCTION public.convert_timezone(target_zone text, ts timestamp) RETURNS timestamp LANGUAGE sql STABLE AS $f$
    SELECT public.convert_timezone('UTC', target_zone, ts)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_MEDIAN.html: PERCENTILE_CONT(0.5), NULLs
  -- ignored, integers and DECIMALs answered as DECIMAL with one more decimal than the input (the
  -- doc's example prints SMALLINT medians as 1.0, 3.0; the midpoint never needs more). Computed exactly (PostgreSQL's
  -- percentile_cont works in double precision, which would round wide DECIMALs); being an
  -- ordinary aggregate it also runs as MEDIAN(...) OVER (PARTITION BY ...).
  CREATE OR REPLACE FUNCTION public.sparkify_median_exact(anyarray) RETURNS numeric LANGUAGE sql IMMUTABLE AS $f$
    SELECT round((min(v) + max(v)) / 2, max(scale(v)) + 1)
    FROM (SELECT u.v::numeric AS v, row_number() OVER (ORDER BY u.v) AS rn, count(*) OVER () AS n
          FROM unnest($1) AS u(v) WHERE u.v IS NOT NULL) AS s
    WHERE rn IN ((n + 1) / 2, (n + 2) / 2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_median_float(float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY u.v) FROM unnest($1) AS u(v)$f$;
  CREATE OR REPLACE AGGREGATE public.median(smallint) (SFUNC = array_append, STYPE = smallint[], FINALFUNC = public.sparkify_median_exact, INITCOND = '{}');
  CREATE OR REPLACE AGGREGATE public.median(integer) (SFUNC = array_append, STYPE = integer[], FINALFUNC = public.sparkify_median_exact, INITCOND = '{}');
  CREATE OR REPLACE AGGREGATE public.median(bigint) (SFUNC = array_append, STYPE = bigint[], FINALFUNC = public.sparkify_median_exact, INITCOND = '{}');
  CREATE OR REPLACE AGGREGATE public.median(numeric) (SFUNC = array_append, STYPE = numeric[], FINALFUNC = public.sparkify_median_exact, INITCOND = '{}');
  CREATE OR REPLACE AGGREGATE public.median(float8) (SFUNC = array_append, STYPE = float8[], FINALFUNC = public.sparkify_median_float, INITCOND = '{}');

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_AVG.html "Data types": AVG of SMALLINT,
  -- INTEGER or BIGINT is a BIGINT, of REAL or DOUBLE PRECISION a DOUBLE PRECISION, of a DECIMAL a
  -- DECIMAL with the argument's scale. The fraction is cut off, not rounded (1, 2, 7 average 3;
  -- "decimals just chopped off", https://github.com/lightdash/lightdash/issues/9877). The dialect
  -- bridge calls these by schema; as ordinary aggregates they take DISTINCT and OVER (...).
  CREATE OR REPLACE FUNCTION public.sparkify_avg_integer(int8[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN $1[1] = 0 THEN NULL ELSE $1[2] / $1[1] END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_avg_add(numeric[], numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT ARRAY[$1[1] + 1, $1[2] + $2, greatest($1[3], scale($2))]$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_avg_add(numeric[], bigint) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT ARRAY[$1[1] + 1, $1[2] + $2, 0]$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_avg_bigint(numeric[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN $1[1] = 0 THEN NULL ELSE CAST(trunc($1[2] / $1[1]) AS bigint) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_avg_numeric(numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN $1[1] = 0 THEN NULL ELSE trunc($1[2] / $1[1], CAST($1[3] AS integer)) END$f$;
  CREATE OR REPLACE AGGREGATE public.avg(smallint) (SFUNC = int2_avg_accum, STYPE = int8[], FINALFUNC = public.sparkify_avg_integer, INITCOND = '{0,0}');
  CREATE OR REPLACE AGGREGATE public.avg(integer) (SFUNC = int4_avg_accum, STYPE = int8[], FINALFUNC = public.sparkify_avg_integer, INITCOND = '{0,0}');
  CREATE OR REPLACE AGGREGATE public.avg(bigint) (SFUNC = public.sparkify_avg_add, STYPE = numeric[], FINALFUNC = public.sparkify_avg_bigint, INITCOND = '{0,0,0}');
  CREATE OR REPLACE AGGREGATE public.avg(numeric) (SFUNC = public.sparkify_avg_add, STYPE = numeric[], FINALFUNC = public.sparkify_avg_numeric, INITCOND = '{0,0,0}');
  CREATE OR REPLACE AGGREGATE public.avg(double precision) (SFUNC = float8_accum, STYPE = float8[], FINALFUNC = float8_avg, INITCOND = '{0,0,0}');
  CREATE OR REPLACE AGGREGATE public.avg(real) (SFUNC = float4_accum, STYPE = float8[], FINALFUNC = float8_avg, INITCOND = '{0,0,0}');

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_SUM.html "Data types": SUM of SMALLINT or
  -- INTEGER is a BIGINT, of BIGINT a NUMERIC, of a DECIMAL a DECIMAL with its scale, of REAL or
  -- DOUBLE PRECISION a DOUBLE PRECISION (PostgreSQL's sum of REAL is a REAL, added in single
  -- precision). Called by schema from the dialect bridge; PostgreSQL's own transition functions.
  CREATE OR REPLACE FUNCTION public.sparkify_sum_bigint(numeric, bigint) RETURNS numeric LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN $2 IS NULL THEN $1 ELSE coalesce($1, 0) + $2 END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_sum_float(float8[]) RETURNS double precision LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN $1[1] = 0 THEN NULL ELSE $1[2] END$f$;
  CREATE OR REPLACE AGGREGATE public.sum(smallint) (SFUNC = int2_sum, STYPE = bigint);
  CREATE OR REPLACE AGGREGATE public.sum(integer) (SFUNC = int4_sum, STYPE = bigint);
  CREATE OR REPLACE AGGREGATE public.sum(bigint) (SFUNC = public.sparkify_sum_bigint, STYPE = numeric);
  CREATE OR REPLACE AGGREGATE public.sum(numeric) (SFUNC = numeric_add, STYPE = numeric);
  CREATE OR REPLACE AGGREGATE public.sum(real) (SFUNC = float4_accum, STYPE = float8[], FINALFUNC = public.sparkify_sum_float, INITCOND = '{0,0,0}');
  CREATE OR REPLACE AGGREGATE public.sum(double precision) (SFUNC = float8pl, STYPE = double precision);
  CREATE OR REPLACE AGGREGATE public.sum(interval) (SFUNC = interval_pl, STYPE = interval);

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TRY_CAST.html: NULL when the conversion
  -- fails. The value keeps its own type (7.5 converts as a DECIMAL, not as the text '7.5'); the
  -- dialect bridge passes the target type as a typed NULL.
  CREATE OR REPLACE FUNCTION public.sparkify_try_cast(source anyelement, target anycompatible) RETURNS anycompatible
    LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF source IS NULL THEN RETURN NULL; END IF;
    EXECUTE format('SELECT $1::%s', pg_typeof(target)) INTO target USING source;
    RETURN target;
  EXCEPTION WHEN data_exception THEN
    RETURN NULL;
  END $f$;
END
$redshift_functions$;
`;
