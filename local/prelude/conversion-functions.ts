/**
 * Redshift's data type formatting functions PostgreSQL lacks or spells differently
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_Data_type_formatting.html).
 */
export const CONVERSION_FUNCTIONS_SQL = `DO $conversion_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- The number a TEXT_TO_*_ALT input spells without a format: blank or empty is 0, a sign may lead
  -- or trail ('123-' is -123, '2147483647+' 2147483647), an exponent is allowed ('-123E-2').
  CREATE OR REPLACE FUNCTION public.sparkify_alt_number(v text, fn text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    s text := trim(v);
    m text[];
  BEGIN
    IF s = '' THEN RETURN 0; END IF;
    m := regexp_match(s, '^([+-]?)([0-9]*\\.?[0-9]*(?:[eE][+-]?[0-9]+)?)([+-]?)$');
    IF m IS NULL OR m[2] !~ '[0-9]' OR (m[1] <> '' AND m[3] <> '') THEN
      RAISE EXCEPTION '%: invalid input %', fn, v USING ERRCODE = 'invalid_text_representation';
    END IF;
    RETURN CASE WHEN m[1] = '-' OR m[3] = '-' THEN -1 ELSE 1 END * m[2]::numeric;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TEXT_TO_INT_ALT.html: an INTEGER, "The
  -- fractional portion of the cast result is truncated" ('-123E-2' is -1). The Teradata-style
  -- format argument is not run offline.
  CREATE OR REPLACE FUNCTION public.text_to_int_alt(v text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT trunc(public.sparkify_alt_number(v, 'TEXT_TO_INT_ALT'))::integer$f$;
  CREATE OR REPLACE FUNCTION public.text_to_int_alt(v text, format text) RETURNS integer LANGUAGE sql VOLATILE AS $f$
    SELECT public.sparkify_not_supported('TEXT_TO_INT_ALT with a Teradata-style format: convert without the format, or with TO_NUMBER')::integer$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TEXT_TO_NUMERIC_ALT.html: a DECIMAL of the
  -- given precision (38) and scale (0), rounded half to even ('1.5' is 2, '2.51' 3,
  -- '123.52501' at scale 2 is 123.53); too many digits for the precision is an error.
  CREATE OR REPLACE FUNCTION public.text_to_numeric_alt(v text, "precision" integer, scale integer) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    x numeric := public.sparkify_alt_number(v, 'TEXT_TO_NUMERIC_ALT') * power(10::numeric, scale);
    whole numeric := floor(x);
    rounded numeric;
  BEGIN
    rounded := CASE
      WHEN x - whole > 0.5 THEN whole + 1
      WHEN x - whole < 0.5 THEN whole
      WHEN mod(whole, 2) = 0 THEN whole
      ELSE whole + 1
    END;
    IF abs(rounded) >= power(10::numeric, "precision") THEN
      RAISE EXCEPTION 'TEXT_TO_NUMERIC_ALT: % does not fit DECIMAL(%, %)', v, "precision", scale USING ERRCODE = 'numeric_value_out_of_range';
    END IF;
    RETURN round(rounded / power(10::numeric, scale), scale);
  END $f$;
  CREATE OR REPLACE FUNCTION public.text_to_numeric_alt(v text) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.text_to_numeric_alt(v, 38, 0)$f$;
  CREATE OR REPLACE FUNCTION public.text_to_numeric_alt(v text, format text) RETURNS numeric LANGUAGE sql VOLATILE AS $f$
    SELECT public.sparkify_not_supported('TEXT_TO_NUMERIC_ALT with a Teradata-style format: convert without the format, or with TO_NUMBER')::numeric$f$;
  CREATE OR REPLACE FUNCTION public.text_to_numeric_alt(v text, format text, "precision" integer, scale integer) RETURNS numeric LANGUAGE sql VOLATILE AS $f$
    SELECT public.sparkify_not_supported('TEXT_TO_NUMERIC_ALT with a Teradata-style format: convert without the format, or with TO_NUMBER')::numeric$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TO_DATE_function.html: with is_strict TRUE an
  -- out-of-range date is an error (PostgreSQL's to_date); with FALSE it rolls over ('20010631',
  -- 'YYYYMMDD' is 2001-07-01). The roll-over is done for formats of YYYY, MM and DD with
  -- separators; any other out-of-range input is refused rather than guessed.
  CREATE OR REPLACE FUNCTION public.to_date(string text, fmt text, is_strict boolean) RETURNS date LANGUAGE plpgsql STABLE AS $f$
  DECLARE
    pattern text := '^';
    rest text := fmt;
    token text;
    fields text[] := '{}';
    m text[];
  BEGIN
    IF string IS NULL OR fmt IS NULL OR is_strict IS NULL THEN RETURN NULL; END IF;
    RETURN pg_catalog.to_date(string, fmt);
  EXCEPTION WHEN datetime_field_overflow THEN
    IF is_strict THEN RAISE; END IF;
    WHILE rest <> '' LOOP
      token := substring(rest FROM '^(YYYY|MM|DD)');
      IF token IS NOT NULL THEN
        fields := fields || token;
        pattern := pattern || CASE token WHEN 'YYYY' THEN '([0-9]{4})' ELSE '([0-9]{2})' END;
        rest := substr(rest, length(token) + 1);
      ELSIF left(rest, 1) ~ '[A-Za-z0-9]' THEN
        RETURN public.sparkify_not_supported(format('TO_DATE(%L, %L, FALSE) of an out-of-range date in this format', string, fmt))::date;
      ELSE
        pattern := pattern || regexp_replace(left(rest, 1), '([^A-Za-z0-9])', '\\\\\\1');
        rest := substr(rest, 2);
      END IF;
    END LOOP;
    m := regexp_match(string, pattern || '$');
    IF m IS NULL OR array_length(fields, 1) <> 3 OR NOT (fields @> ARRAY['YYYY', 'MM', 'DD']) THEN
      RETURN public.sparkify_not_supported(format('TO_DATE(%L, %L, FALSE) of an out-of-range date in this format', string, fmt))::date;
    END IF;
    RETURN make_date(m[array_position(fields, 'YYYY')]::int, m[array_position(fields, 'MM')]::int, 1)
      + (m[array_position(fields, 'DD')]::int - 1);
  END $f$;
END
$conversion_functions$;
`;
