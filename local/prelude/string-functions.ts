/**
 * Redshift string functions PostgreSQL lacks (https://docs.aws.amazon.com/redshift/latest/dg/String_functions_header.html),
 * each as its page defines it.
 */
export const STRING_FUNCTIONS_SQL = `DO $string_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_STRTOL.html: C's strtol: leading white space,
  -- one optional sign, '0x' allowed in base 16, then the longest run of digits valid in the base;
  -- '' (or a string that starts with no digit) is 0. Bases 2 to 36. A value beyond BIGINT is refused.
  CREATE OR REPLACE FUNCTION public.strtol(num_string text, base integer) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    s text := ltrim(num_string, E' \\t\\n\\r\\f');
    negative boolean := false;
    result numeric := 0;
    digit int;
    ch text;
  BEGIN
    IF base < 2 OR base > 36 THEN
      RAISE EXCEPTION 'STRTOL base % is not between 2 and 36', base USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF left(s, 1) IN ('+', '-') THEN negative := left(s, 1) = '-'; s := substr(s, 2); END IF;
    IF base = 16 AND lower(left(s, 2)) = '0x' THEN s := substr(s, 3); END IF;
    FOR i IN 1..length(s) LOOP
      ch := lower(substr(s, i, 1));
      digit := CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 WHEN ch BETWEEN 'a' AND 'z' THEN ascii(ch) - 87 ELSE 99 END;
      EXIT WHEN digit >= base;
      result := result * base + digit;
    END LOOP;
    IF negative THEN result := -result; END IF;
    IF result > 9223372036854775807 OR result < -9223372036854775808 THEN
      PERFORM public.sparkify_not_supported(format('STRTOL(%L, %s) beyond BIGINT', num_string, base));
    END IF;
    RETURN result::bigint;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/SOUNDEX.html: American Soundex of the ASCII
  -- letters only ("SOUNDEX ignores other characters", so 'AWS Amazon' is A252): the first letter,
  -- then the codes of the rest, H and W not separating equal codes, vowels (and Y) separating them,
  -- zero-padded to 4; '' when there is no letter.
  CREATE OR REPLACE FUNCTION public.soundex(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    letters text := upper(regexp_replace(v, '[^A-Za-z]', '', 'g'));
    codes text := '01230120022455012623010202';  -- A..Z
    result text;
    last text;
    code text;
  BEGIN
    IF letters = '' THEN RETURN ''; END IF;
    result := left(letters, 1);
    last := substr(codes, ascii(result) - 64, 1);
    FOR i IN 2..length(letters) LOOP
      EXIT WHEN length(result) = 4;
      code := substr(codes, ascii(substr(letters, i, 1)) - 64, 1);
      IF substr(letters, i, 1) IN ('H', 'W') THEN CONTINUE; END IF;
      IF code <> '0' AND code <> last THEN result := result || code; END IF;
      last := code;
    END LOOP;
    RETURN rpad(result, 4, '0');
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/DIFFERENCE.html: how many of the four Soundex
  -- characters agree, position by position; 0 when either string has no letter.
  CREATE OR REPLACE FUNCTION public.difference(a text, b text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN sa = '' OR sb = '' THEN 0
      ELSE (SELECT count(*)::int FROM generate_series(1, 4) AS i WHERE substr(sa, i, 1) = substr(sb, i, 1)) END
    FROM (SELECT public.soundex(a) AS sa, public.soundex(b) AS sb) AS s$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/OCTETINDEX.html: the substring's position in
  -- bytes, the first byte 1, 0 when absent ('AWS' in 'Άμαζον AWS' is at byte 14).
  CREATE OR REPLACE FUNCTION public.octetindex(sub text, str text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN p = 0 THEN 0 ELSE octet_length(left(str, p - 1)) + 1 END
    FROM (SELECT strpos(str, sub) AS p) AS s$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_REPEAT.html, r_REPLICATE.html: a number
  -- repeats as its text (the page's repeat(catid, 3) is 111); REPLICATE is a synonym.
  CREATE OR REPLACE FUNCTION public.repeat(v anynonarray, n integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT pg_catalog.repeat(v::text, n)$f$;
  CREATE OR REPLACE FUNCTION public.replicate(v text, n integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT pg_catalog.repeat(v, n)$f$;
  CREATE OR REPLACE FUNCTION public.replicate(v anynonarray, n integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT pg_catalog.repeat(v::text, n)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_REPLACE.html: without a replace_string
  -- every match is deleted (the page's regexp_replace(email, '@.*\\.(org|gov|com|edu|ca)$')).
  CREATE OR REPLACE FUNCTION public.regexp_replace(source text, pattern text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT pg_catalog.regexp_replace(source, pattern, '', 'g')$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_CONCAT.html: two arguments, and "if one or both
  -- expressions is null, the result of the concatenation is null" (PostgreSQL's variadic concat
  -- skips NULLs); VARBYTE concatenates as VARBYTE. Strings and literals resolve to these.
  CREATE OR REPLACE FUNCTION public.concat(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT a || b$f$;
  CREATE OR REPLACE FUNCTION public.concat(a bytea, b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT a || b$f$;
END
$string_functions$;
`;
