/**
 * Redshift's JSON functions on text (https://docs.aws.amazon.com/redshift/latest/dg/json-functions.html):
 * the JSON is a VARCHAR, parsed by PostgreSQL's json type, which keeps the text as written, so an
 * object or array comes back exactly as the input spelled it. Invalid JSON raises an error unless
 * null_if_invalid is true, then the answer is NULL. Defined in public with text arguments: a
 * string literal or VARCHAR resolves to these rather than to pg_catalog's json-typed functions of
 * the same name (json_array_length, json_extract_path_text).
 */
export const JSON_TEXT_FUNCTIONS_SQL = `DO $json_text_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- The JSON value of a text, NULL when invalid and invalid JSON is allowed to be NULL. json_in, not
  -- v::json: a cast of text to json makes a SUPER string (local/prelude/super-functions.ts).
  CREATE OR REPLACE FUNCTION public.sparkify_json(v text, null_if_invalid boolean) RETURNS json LANGUAGE plpgsql IMMUTABLE AS $f$
  BEGIN
    RETURN json_in(v::cstring);
  EXCEPTION WHEN invalid_text_representation THEN
    IF null_if_invalid THEN RETURN NULL; END IF;
    RAISE;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON.html: true for a JSON object only;
  -- the page's '[1,2,3]' is false (arrays are IS_VALID_JSON_ARRAY's).
  CREATE OR REPLACE FUNCTION public.is_valid_json(v text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT coalesce(json_typeof(public.sparkify_json(v, true)) = 'object', false)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/IS_VALID_JSON_ARRAY.html: a JSON array ('{"a":1}', 'a', '[1,2,]' are not).
  CREATE OR REPLACE FUNCTION public.is_valid_json_array(v text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT coalesce(json_typeof(public.sparkify_json(v, true)) = 'array', false)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/CAN_JSON_PARSE.html: "returns true if the result
  -- can be converted to a SUPER value using the JSON_PARSE function" (any JSON value, scalars too;
  -- not an object with an attribute twice), from a VARCHAR or a VARBYTE's UTF-8 text. JSON_PARSE is
  -- local/prelude/super-functions.ts's, which runs after this part of the prelude.
  CREATE OR REPLACE FUNCTION public.can_json_parse(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  BEGIN
    PERFORM public.json_parse(v);
    RETURN true;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN false;
  END $f$;
  CREATE OR REPLACE FUNCTION public.can_json_parse(v bytea) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.can_json_parse(convert_from(v, 'UTF8'))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_ARRAY_LENGTH.html: the outer array's
  -- element count; an error for invalid JSON or a non-array, NULL instead with null_if_invalid.
  CREATE OR REPLACE FUNCTION public.json_array_length(v text, null_if_invalid boolean DEFAULT false) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE j json := public.sparkify_json(v, null_if_invalid);
  BEGIN
    IF j IS NULL THEN RETURN NULL; END IF;
    IF json_typeof(j) <> 'array' THEN
      IF null_if_invalid THEN RETURN NULL; END IF;
      RAISE EXCEPTION 'invalid json array %', v USING ERRCODE = 'invalid_text_representation';
    END IF;
    RETURN pg_catalog.json_array_length(j);
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_ARRAY_ELEMENT_TEXT.html: the element
  -- at a zero-based position of the outer array; "If the index is negative or out of bound,
  -- JSON_EXTRACT_ARRAY_ELEMENT_TEXT returns empty string".
  CREATE OR REPLACE FUNCTION public.json_extract_array_element_text(v text, pos integer, null_if_invalid boolean DEFAULT false) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE j json := public.sparkify_json(v, null_if_invalid);
  BEGIN
    IF j IS NULL OR pos IS NULL THEN RETURN NULL; END IF;
    IF json_typeof(j) <> 'array' THEN
      IF null_if_invalid THEN RETURN NULL; END IF;
      RAISE EXCEPTION 'invalid json array object %', v USING ERRCODE = 'invalid_text_representation';
    END IF;
    IF pos < 0 OR pos >= pg_catalog.json_array_length(j) THEN RETURN ''; END IF;
    RETURN j ->> pos;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_EXTRACT_PATH_TEXT.html: the value at up to
  -- five path elements, NULL when a key is missing ("trying to extract an element that's missing
  -- returns NULL"); the last argument may be null_if_invalid.
  CREATE OR REPLACE FUNCTION public.sparkify_json_path(v text, path text[], null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json(v, null_if_invalid) #>> path$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1], false)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2], false)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3], false)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text, p4 text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3, p4], false)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text, p4 text, p5 text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3, p4, p5], false)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1], null_if_invalid)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2], null_if_invalid)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3], null_if_invalid)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text, p4 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3, p4], null_if_invalid)$f$;
  CREATE OR REPLACE FUNCTION public.json_extract_path_text(v text, p1 text, p2 text, p3 text, p4 text, p5 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT public.sparkify_json_path(v, ARRAY[p1, p2, p3, p4, p5], null_if_invalid)$f$;
END
$json_text_functions$;
`;
