/**
 * Redshift's SUPER type offline: a SUPER value is a PostgreSQL jsonb (the dialect bridge maps the
 * type, docs/super.md says why), and these functions give it Redshift's behaviour, each following
 * the page cited beside it. PartiQL navigation (`e.payload.items[0]`), the ARRAY(...) and
 * OBJECT(...) constructors and casts of navigated values are rewritten by local/super/navigation.ts
 * into calls of the sparkify_super_* functions below.
 *
 * Objects that have no OR REPLACE (casts, operators) are created once, under a transaction-scoped
 * advisory lock and a marker, as local/prelude/varchar-semantics.ts does; the twin connects as a
 * superuser, which CREATE CAST on built-in types needs.
 */

/** Marks the installed casts and operators; a change to them needs a new marker. */
const MARKER = 'sparkify: SUPER casts and comparisons v1';

/** Redshift's comparison operators between a SUPER value and a VARCHAR, a number or a boolean. */
const COMPARISONS = [
  { op: '=', name: 'eq', commutator: '=', negator: '<>' },
  { op: '<>', name: 'ne', commutator: '<>', negator: '=' },
  { op: '<', name: 'lt', commutator: '>', negator: '>=' },
  { op: '<=', name: 'le', commutator: '>=', negator: '>' },
  { op: '>', name: 'gt', commutator: '<', negator: '<=' },
  { op: '>=', name: 'ge', commutator: '<=', negator: '<' },
] as const;

/** The scalar types a SUPER value is compared with, and how a jsonb scalar of that kind reads as one. */
const SCALARS = [
  { type: 'text', json: 'string', read: "rtrim($1 #>> '{}', ' ')", other: "rtrim($2, ' ')" },
  { type: 'numeric', json: 'number', read: "($1 #>> '{}')::numeric", other: '$2' },
  { type: 'boolean', json: 'boolean', read: "($1 #>> '{}')::boolean", other: '$2' },
] as const;

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/query-super.html (Dynamic typing): "The equality
 * sign ... evaluates to true when c_orders[0].o_orderstatus is the string 'P'. In all other cases,
 * the equality sign evaluates to false, including the cases where the arguments of the equality are
 * different types"; "if you replace the equality predicate with a less-than-or-equal predicate, the
 * semantics produce null instead of false"; strings compare "ignoring trailing white-space
 * characters similar to Amazon Redshift CHAR and VARCHAR types".
 */
function comparisonSql(): string[] {
  const functions: string[] = [];
  const reversed: string[] = [];
  const operators: string[] = [];
  for (const scalar of SCALARS) {
    for (const c of COMPARISONS) {
      const mismatch = c.op === '=' ? 'false' : c.op === '<>' ? 'true' : 'NULL';
      const fn = `public.sparkify_super_${c.name}_${scalar.type}`;
      // scalar OP super is super COMMUTATOR scalar.
      const commutator = COMPARISONS.find((other) => other.op === c.commutator)?.name ?? c.name;
      const back = `public.sparkify_${scalar.type}_${c.name}_super`;
      functions.push(
        `CREATE FUNCTION ${fn}(jsonb, ${scalar.type}) RETURNS boolean LANGUAGE sql IMMUTABLE AS ` +
          `$f$SELECT CASE WHEN jsonb_typeof($1) = '${scalar.json}' THEN ${scalar.read} ${c.op} ${scalar.other} ` +
          `WHEN $1 IS NOT NULL AND $2 IS NOT NULL THEN ${mismatch} END$f$`,
      );
      reversed.push(
        `CREATE FUNCTION ${back}(${scalar.type}, jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS ` +
          `$f$SELECT public.sparkify_super_${commutator}_${scalar.type}($2, $1)$f$`,
      );
      operators.push(
        `CREATE OPERATOR public.${c.op} (LEFTARG = jsonb, RIGHTARG = ${scalar.type}, FUNCTION = ${fn}, ` +
          `COMMUTATOR = OPERATOR(public.${c.commutator}), NEGATOR = OPERATOR(public.${c.negator}))`,
        `CREATE OPERATOR public.${c.op} (LEFTARG = ${scalar.type}, RIGHTARG = jsonb, FUNCTION = ${back}, ` +
          `COMMUTATOR = OPERATOR(public.${c.commutator}), NEGATOR = OPERATOR(public.${c.negator}))`,
      );
    }
  }
  return [...functions, ...reversed, ...operators];
}

/**
 * Casts to SUPER in an INSERT or UPDATE of a SUPER column (INSERT INTO t VALUES (5), (TRUE), (1.22),
 * the examples of https://docs.aws.amazon.com/redshift/latest/dg/r_is_integer.html, r_is_boolean.html,
 * r_is_decimal.html), and in CAST(x AS SUPER). A FLOAT becomes a SUPER float in Redshift (printed
 * 2.22e+0, r_is_float.html), which jsonb cannot tell from a decimal: refused, not answered otherwise.
 * "Amazon Redshift doesn't cast the date and time types to SUPER data type" (limitations-super.html).
 */
function castSql(): string[] {
  const statements: string[] = [];
  for (const type of ['smallint', 'integer', 'bigint', 'numeric', 'boolean', 'text', 'character varying', 'character']) {
    statements.push(`CREATE CAST (${type} AS jsonb) WITH FUNCTION public.sparkify_to_super(${type}) AS ASSIGNMENT`);
  }
  for (const type of ['real', 'double precision', 'date', 'timestamp', 'timestamptz', 'time', 'timetz']) {
    statements.push(`CREATE CAST (${type} AS jsonb) WITH FUNCTION public.sparkify_to_super(${type}) AS ASSIGNMENT`);
  }
  // https://docs.aws.amazon.com/redshift/latest/dg/limitations-super.html: a cast of an object or an
  // array to a string returns NULL; a SUPER string casts to its text.
  statements.push(
    'CREATE CAST (jsonb AS text) WITH FUNCTION public.sparkify_super_to_varchar(jsonb)',
    'CREATE CAST (jsonb AS character varying) WITH FUNCTION public.sparkify_super_to_varchar(jsonb)',
  );
  return statements;
}

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/operators-functions.html (Arithmetic operators):
 * "SUPER values support all basic arithmetic operators +, -, *, /, % using dynamic typing. The
 * resultant type of the operation remains as SUPER. For all operators, except for the binary
 * operator +, the input operands must be numbers. Otherwise, Amazon Redshift returns null ...
 * Binary operator + performs addition if the inputs are numbers or concatenation if the inputs are
 * strings. If one operand is a string and the other operand is a number, the result is null. Unary
 * prefix operators + and - return null if the SUPER value is not a number". PostgreSQL's own
 * jsonb - integer (delete an element) comes first for `x - 1`: the bridge writes the number as
 * NUMERIC after a navigated value (local/super/navigation.ts).
 */
function arithmeticSql(): string[] {
  const statements: string[] = [];
  for (const [op, name] of [
    ['+', 'add'],
    ['-', 'sub'],
    ['*', 'mul'],
    ['/', 'div'],
    ['%', 'mod'],
  ] as const) {
    statements.push(
      `CREATE OPERATOR public.${op} (LEFTARG = jsonb, RIGHTARG = jsonb, FUNCTION = public.sparkify_super_${name})`,
      `CREATE FUNCTION public.sparkify_super_${name}(jsonb, numeric) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_${name}($1, to_jsonb($2))$f$`,
      `CREATE FUNCTION public.sparkify_super_${name}(numeric, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_${name}(to_jsonb($1), $2)$f$`,
      `CREATE OPERATOR public.${op} (LEFTARG = jsonb, RIGHTARG = numeric, FUNCTION = public.sparkify_super_${name})`,
      `CREATE OPERATOR public.${op} (LEFTARG = numeric, RIGHTARG = jsonb, FUNCTION = public.sparkify_super_${name})`,
    );
  }
  statements.push(
    'CREATE OPERATOR public.- (RIGHTARG = jsonb, FUNCTION = public.sparkify_super_negate)',
    'CREATE OPERATOR public.+ (RIGHTARG = jsonb, FUNCTION = public.sparkify_super_plus)',
  );
  return statements;
}

/**
 * A string literal written as a value of INSERT ... VALUES, as Redshift reads it: the column's
 * type decides, and into a SUPER column it is a SUPER string ("If the json_parse function is
 * missing in the query, Amazon Redshift treats the value as a single string", ingest-super.html;
 * r_is_varchar.html inserts 'abc'). PostgreSQL would read an untyped literal with jsonb's input
 * function (so '5' a number, '{"a":1}' an object), before any cast could act; so the bridge writes
 * such a literal as ROW('...')::public.sparkify_literal (local/super/navigation.ts), and these
 * assignment casts give every other column type what its input function gives the literal.
 */
const LITERAL_TARGETS = [
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
  'boolean',
  'character varying',
  'character',
  'text',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
  'interval',
  'bytea',
] as const;

function literalSql(): string[] {
  const statements = ['CREATE TYPE public.sparkify_literal AS (v text)'];
  for (const type of [...LITERAL_TARGETS, 'jsonb']) {
    const fn = `public.sparkify_literal_to_${type.replace(/ /g, '_')}`;
    const body = type === 'jsonb' ? 'to_jsonb(($1).v)' : `($1).v::${type}`;
    statements.push(
      `CREATE FUNCTION ${fn}(public.sparkify_literal) RETURNS ${type} LANGUAGE sql STABLE STRICT AS $f$SELECT ${body}$f$`,
      `CREATE CAST (public.sparkify_literal AS ${type}) WITH FUNCTION ${fn}(public.sparkify_literal) AS ASSIGNMENT`,
    );
  }
  return statements;
}

export const SUPER_FUNCTIONS_SQL = `DO $super_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify super functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_PARSE.html: JSON text (VARCHAR or VARBYTE) to SUPER.
  CREATE OR REPLACE FUNCTION public.json_parse(text) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT $1::json::jsonb$f$;
  CREATE OR REPLACE FUNCTION public.json_parse(bytea) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT convert_from($1, 'UTF8')::json::jsonb$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE.html: RFC 8259 text as Redshift
  -- prints it, no blanks between tokens ([10001,10002,"abc"]).
  CREATE OR REPLACE FUNCTION public.json_serialize(jsonb) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE jsonb_typeof($1)
      WHEN 'object' THEN '{' || coalesce((SELECT string_agg(format('%s', to_jsonb(e.key)) || ':' || public.json_serialize(e.value), ',' ORDER BY e.n)
        FROM jsonb_each($1) WITH ORDINALITY AS e(key, value, n)), '') || '}'
      WHEN 'array' THEN '[' || coalesce((SELECT string_agg(public.json_serialize(e.value), ',' ORDER BY e.n)
        FROM jsonb_array_elements($1) WITH ORDINALITY AS e(value, n)), '') || ']'
      ELSE format('%s', $1)::varchar
    END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE_TO_VARBYTE.html
  CREATE OR REPLACE FUNCTION public.json_serialize_to_varbyte(jsonb) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT convert_to(public.json_serialize($1), 'UTF8')$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_json_size.html: bytes of the serialized value.
  CREATE OR REPLACE FUNCTION public.json_size(jsonb) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT octet_length(public.json_serialize($1))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_json_typeof.html: boolean, number, string,
  -- object, array or null, the names jsonb_typeof gives.
  CREATE OR REPLACE FUNCTION public.json_typeof(jsonb) RETURNS varchar LANGUAGE sql IMMUTABLE AS $f$SELECT jsonb_typeof($1)::varchar$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/c_Type_Info_Functions.html and query-super.html
  -- (Types of introspection): "All these functions return false if the input value is null".
  CREATE OR REPLACE FUNCTION public.is_array(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(jsonb_typeof($1) = 'array', false)$f$;
  CREATE OR REPLACE FUNCTION public.is_object(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(jsonb_typeof($1) = 'object', false)$f$;
  -- r_is_scalar.html: "true for any value that is not an array or an object ... false for any other values, including null".
  CREATE OR REPLACE FUNCTION public.is_scalar(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS
    $f$SELECT coalesce(jsonb_typeof($1) IN ('string', 'number', 'boolean'), false)$f$;
  -- r_is_boolean.html
  CREATE OR REPLACE FUNCTION public.is_boolean(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(jsonb_typeof($1) = 'boolean', false)$f$;
  -- r_is_varchar.html: "true for all strings".
  CREATE OR REPLACE FUNCTION public.is_varchar(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(jsonb_typeof($1) = 'string', false)$f$;
  -- r_is_char.html: "true for strings that have only ASCII characters".
  CREATE OR REPLACE FUNCTION public.is_char(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS
    $f$SELECT coalesce(jsonb_typeof($1) = 'string' AND ($1 #>> '{}') ~ '^[\\x01-\\x7f]*$', false)$f$;
  -- r_is_decimal.html: "true for numbers that are not floating points". A jsonb number is never a
  -- float: the twin refuses FLOAT into SUPER (castSql), so every SUPER number here is a decimal.
  CREATE OR REPLACE FUNCTION public.is_decimal(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(jsonb_typeof($1) = 'number', false)$f$;
  -- r_is_float.html: true for FLOAT4 and FLOAT8, which no SUPER value holds offline (see is_decimal).
  CREATE OR REPLACE FUNCTION public.is_float(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT false$f$;
  -- r_is_smallint.html, r_is_integer.html, r_is_bigint.html: "numbers of scale 0 in the 16-bit
  -- (32-bit, 64-bit) range"; limitations-super.html: "doesn't differentiate integers and decimals of scale 0".
  CREATE OR REPLACE FUNCTION public.sparkify_super_integral(jsonb, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(jsonb_typeof($1) = 'number' AND scale(($1 #>> '{}')::numeric) = 0
      AND ($1 #>> '{}')::numeric BETWEEN -$2 AND $2 - 1, false)$f$;
  CREATE OR REPLACE FUNCTION public.is_smallint(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 32768)$f$;
  CREATE OR REPLACE FUNCTION public.is_integer(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 2147483648)$f$;
  CREATE OR REPLACE FUNCTION public.is_bigint(jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 9223372036854775808)$f$;
  -- r_decimal_precision.html, r_decimal_scale.html: 3.14159 has precision 6 and scale 5; NULL for
  -- what is not a number ("Other functions return null when mistyped arguments are used", query-super.html).
  CREATE OR REPLACE FUNCTION public.decimal_scale(jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN scale(($1 #>> '{}')::numeric) END$f$;
  CREATE OR REPLACE FUNCTION public.decimal_precision(jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN greatest(1, scale(($1 #>> '{}')::numeric),
      length(replace(ltrim(abs(($1 #>> '{}')::numeric)::text, '0.'), '.', ''))) END$f$;

  -- PartiQL navigation (query-super.html, Navigation and Lax semantics): "Object navigation is
  -- invalid if the SUPER value is not an object or if the SUPER value is an object but doesn't
  -- contain the attribute name"; "Array navigation returns null if the SUPER value is not an array
  -- or the array index is out of bounds". Attribute names fold to lower case unless
  -- enable_case_sensitive_super_attribute is set (super-configurations.html).
  CREATE OR REPLACE FUNCTION public.sparkify_super_attribute(jsonb, text) RETURNS jsonb LANGUAGE sql STABLE AS $f$
    SELECT CASE WHEN jsonb_typeof($1) = 'object' THEN $1 -> (CASE
      WHEN current_setting('sparkify.enable_case_sensitive_super_attribute', true) = 'on' THEN $2 ELSE lower($2) END) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_element(jsonb, bigint) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN jsonb_typeof($1) = 'array' AND $2 >= 0 AND $2 < 2147483647 THEN $1 -> $2::integer END$f$;

  -- The scalar inside a SUPER value, for casts: "Casting a SUPER value to the wrong type returns
  -- null instead of an error if the cast is invalid" (query-super.html, Lax semantics).
  CREATE OR REPLACE FUNCTION public.sparkify_super_to_varchar(jsonb) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE jsonb_typeof($1)
      WHEN 'string' THEN ($1 #>> '{}')::varchar
      WHEN 'number' THEN public.sparkify_not_supported('a cast of a SUPER number to VARCHAR (use JSON_SERIALIZE)')::varchar
      WHEN 'boolean' THEN public.sparkify_not_supported('a cast of a SUPER boolean to VARCHAR (use JSON_SERIALIZE)')::varchar
    END$f$;
  -- limitations-super.html: 5::super::bool is true, 5.0::super::bool is NULL (a decimal of scale
  -- above 0 behaves as DECIMAL, which does not cast to BOOLEAN, and the error becomes NULL).
  CREATE OR REPLACE FUNCTION public.sparkify_super_cast(value jsonb, target anyelement) RETURNS anyelement LANGUAGE plpgsql STABLE AS $f$
  DECLARE
    kind text := jsonb_typeof(value);
    type regtype := pg_typeof(target);
  BEGIN
    IF value IS NULL OR kind NOT IN ('string', 'number', 'boolean') THEN RETURN NULL; END IF;
    IF type IN ('character varying'::regtype, 'text'::regtype, 'character'::regtype) THEN
      EXECUTE format('SELECT $1::%s', type) INTO target USING public.sparkify_super_to_varchar(value);
    ELSIF kind = 'number' AND type = 'boolean'::regtype THEN
      IF scale((value #>> '{}')::numeric) > 0 THEN RETURN NULL; END IF;
      target := (value #>> '{}')::numeric <> 0;
    ELSIF kind = 'number' THEN
      EXECUTE format('SELECT $1::%s', type) INTO target USING (value #>> '{}')::numeric;
    ELSE
      EXECUTE format('SELECT $1::%s', type) INTO target USING value #>> '{}';
    END IF;
    RETURN target;
  EXCEPTION WHEN data_exception OR cannot_coerce OR invalid_text_representation THEN
    RETURN NULL;
  END $f$;

  -- Values into SUPER (castSql): scalars as SUPER scalars, FLOAT and datetime refused.
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(smallint) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(integer) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(bigint) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(numeric) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(text) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(character varying) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1::text)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(character) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_jsonb($1::text)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(real) RETURNS jsonb LANGUAGE sql VOLATILE AS
    $f$SELECT public.sparkify_not_supported('a FLOAT value into SUPER (Redshift keeps it a float, jsonb a decimal; cast it to DECIMAL first)')::jsonb$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(double precision) RETURNS jsonb LANGUAGE sql VOLATILE AS
    $f$SELECT public.sparkify_not_supported('a FLOAT value into SUPER (Redshift keeps it a float, jsonb a decimal; cast it to DECIMAL first)')::jsonb$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_no_datetime() RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $f$
  BEGIN
    RAISE EXCEPTION 'cannot cast a date or time type to super' USING ERRCODE = 'cannot_coerce';
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(date) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timestamp) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timestamptz) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(time) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timetz) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;

  -- query-super.html (Unnesting queries): "y iterates over each (SUPER) value in (SUPER) array
  -- expression x"; a value that is not an array gives no rows (lax, as navigation).
  CREATE OR REPLACE FUNCTION public.sparkify_super_unnest(jsonb) RETURNS SETOF jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT e.value FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END) WITH ORDINALITY AS e(value, n)
    ORDER BY e.n$f$;

  -- "The clause x AS y AT z iterates over array x and generates the field z, which is the array index" (from 0).
  CREATE OR REPLACE FUNCTION public.sparkify_super_unnest_at(jsonb) RETURNS TABLE (value jsonb, index integer) LANGUAGE sql IMMUTABLE AS $f$
    SELECT e.value, (e.n - 1)::integer FROM jsonb_array_elements(CASE WHEN jsonb_typeof($1) = 'array' THEN $1 ELSE '[]'::jsonb END)
      WITH ORDINALITY AS e(value, n) ORDER BY e.n$f$;

  -- A value of ARRAY(...) or OBJECT(...): as a cast to SUPER would take it (castSql), datetime and FLOAT refused.
  CREATE OR REPLACE FUNCTION public.sparkify_super_value(anyelement) RETURNS jsonb LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF pg_typeof($1) IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype, 'time'::regtype, 'timetz'::regtype) THEN
      RETURN public.sparkify_super_no_datetime();
    ELSIF pg_typeof($1) IN ('real'::regtype, 'double precision'::regtype) THEN
      RETURN public.sparkify_to_super($1::double precision);
    END IF;
    RETURN to_jsonb($1);
  END $f$;
  -- A bare literal or NULL: text, as Redshift reads it.
  CREATE OR REPLACE FUNCTION public.sparkify_super_value(text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT to_jsonb($1)$f$;

  -- SUPER arithmetic (arithmeticSql). Both numbers of scale 0 compute as integers (limitations-super.html:
  -- "doesn't differentiate integers and decimals of scale 0"; a division truncates, as an INTEGER's);
  -- otherwise as DECIMAL, with a quotient's scale max(4, s1 + p2 - s2 + 1) (r_numeric_computations201.html,
  -- which gives the page's (o_orderkey + 0.5) * o_orderkey / 10 = 1757958232200.1500).
  CREATE OR REPLACE FUNCTION public.sparkify_super_arithmetic(op text, a jsonb, b jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE
    x numeric;
    y numeric;
  BEGIN
    IF a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
    IF op = '+' AND jsonb_typeof(a) = 'string' AND jsonb_typeof(b) = 'string' THEN
      RETURN to_jsonb((a #>> '{}') || (b #>> '{}'));
    END IF;
    IF jsonb_typeof(a) <> 'number' OR jsonb_typeof(b) <> 'number' THEN RETURN NULL; END IF;
    x := (a #>> '{}')::numeric;
    y := (b #>> '{}')::numeric;
    IF op = '/' THEN
      IF scale(x) = 0 AND scale(y) = 0 THEN RETURN to_jsonb(trunc(x / y)); END IF;
      RETURN to_jsonb(round(x / y, greatest(4, scale(x) + public.decimal_precision(b) - scale(y) + 1)));
    END IF;
    RETURN to_jsonb(CASE op WHEN '+' THEN x + y WHEN '-' THEN x - y WHEN '*' THEN x * y ELSE mod(x, y) END);
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_add(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('+', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_sub(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('-', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_mul(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('*', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_div(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('/', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_mod(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('%', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_negate(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(-($1 #>> '{}')::numeric) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_plus(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN $1 END$f$;
  -- operators-functions.html (Arithmetic functions): FLOOR, CEIL and CEILING, ROUND, TRUNC and ABS
  -- take a SUPER number ("If the input isn't a number, they return null"); the page's example
  -- prints FLOOR, CEIL and ROUND of 1389636795898.0500 without decimals.
  CREATE OR REPLACE FUNCTION public.floor(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(floor(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.ceil(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(ceil(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.ceiling(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$SELECT public.ceil($1)$f$;
  CREATE OR REPLACE FUNCTION public.round(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(round(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.trunc(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(trunc(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.abs(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'number' THEN to_jsonb(abs(($1 #>> '{}')::numeric)) END$f$;

  -- A SUPER string as a string function reads it; NULL for another type (query-super.html, Dynamic
  -- typing: "Other functions return null when mistyped arguments are used").
  CREATE OR REPLACE FUNCTION public.sparkify_super_string(jsonb) RETURNS varchar LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'string' THEN ($1 #>> '{}')::varchar END$f$;
  -- Aggregates of SUPER values: the type Redshift's dynamic typing gives their result is not on the
  -- pages; refused, naming the cast that makes the aggregate a plain one.
  CREATE OR REPLACE FUNCTION public.sparkify_super_aggregate(state jsonb, value jsonb, name text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $f$
  BEGIN
    IF value IS NULL THEN RETURN state; END IF;
    RETURN public.sparkify_not_supported(format('%s of a SUPER value (cast it first, e.g. %s(e.payload.length::DECIMAL(10,5)))', name, name))::jsonb;
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_sum(jsonb, jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'SUM')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_avg(jsonb, jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'AVG')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_min(jsonb, jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'MIN')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_max(jsonb, jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'MAX')$f$;
  CREATE OR REPLACE AGGREGATE public.sum(jsonb) (SFUNC = public.sparkify_super_sum, STYPE = jsonb);
  CREATE OR REPLACE AGGREGATE public.avg(jsonb) (SFUNC = public.sparkify_super_avg, STYPE = jsonb);
  CREATE OR REPLACE AGGREGATE public.min(jsonb) (SFUNC = public.sparkify_super_min, STYPE = jsonb);
  CREATE OR REPLACE AGGREGATE public.max(jsonb) (SFUNC = public.sparkify_super_max, STYPE = jsonb);
  -- https://docs.aws.amazon.com/redshift/latest/dg/get_array_length.html
  CREATE OR REPLACE FUNCTION public.get_array_length(jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'array' THEN jsonb_array_length($1) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_array_concat.html
  CREATE OR REPLACE FUNCTION public.array_concat(jsonb, jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN jsonb_typeof($1) = 'array' AND jsonb_typeof($2) = 'array' THEN $1 || $2 END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_subarray.html: SUBARRAY(array, start, length), 0-based start.
  CREATE OR REPLACE FUNCTION public.subarray(jsonb, integer, integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN jsonb_typeof($1) = 'array' THEN coalesce((SELECT jsonb_agg(e.value ORDER BY e.n)
      FROM jsonb_array_elements($1) WITH ORDINALITY AS e(value, n) WHERE e.n - 1 >= $2 AND e.n - 1 < $2 + $3), '[]'::jsonb) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/array_flatten.html: one level of nesting removed, recursively.
  CREATE OR REPLACE FUNCTION public.array_flatten(jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN jsonb_typeof($1) = 'array' THEN coalesce((SELECT jsonb_agg(f.value ORDER BY e.n, f.m)
      FROM jsonb_array_elements($1) WITH ORDINALITY AS e(value, n)
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.value) = 'array' THEN public.array_flatten(e.value)
        ELSE jsonb_build_array(e.value) END) WITH ORDINALITY AS f(value, m)), '[]'::jsonb) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/array_sort.html: ARRAY_SORT(array [, sort_ascending
  -- [, nulls_first]]), "ordered according to the following type precedence: Boolean values, Numeric
  -- values, String values, Arrays, Objects", each type in its natural order; the page's examples put
  -- NULLs last ascending and first descending unless nulls_first says. How arrays and objects order
  -- among themselves is not on the page: an array holding one is refused when it runs. Strings order
  -- as VARCHAR does offline (trailing blanks ignored, varchar-semantics.ts).
  CREATE OR REPLACE FUNCTION public.array_sort(a jsonb, ascending boolean, nulls_first boolean) RETURNS jsonb LANGUAGE sql STABLE STRICT AS $f$
    SELECT CASE WHEN jsonb_typeof(a) <> 'array' THEN NULL
      WHEN EXISTS (SELECT FROM jsonb_array_elements(a) AS e(value) WHERE jsonb_typeof(e.value) IN ('array', 'object')) THEN
        public.sparkify_not_supported('ARRAY_SORT of an array holding arrays or objects (the page does not say how Redshift orders them)')::jsonb
      ELSE coalesce((SELECT jsonb_agg(e.value ORDER BY
        CASE WHEN jsonb_typeof(e.value) = 'null' THEN CASE WHEN nulls_first THEN 0 ELSE 2 END ELSE 1 END,
        CASE WHEN ascending THEN array_position(ARRAY['boolean', 'number', 'string'], jsonb_typeof(e.value)) END,
        CASE WHEN NOT ascending THEN array_position(ARRAY['boolean', 'number', 'string'], jsonb_typeof(e.value)) END DESC,
        CASE WHEN ascending AND jsonb_typeof(e.value) = 'boolean' THEN (e.value #>> '{}')::boolean END,
        CASE WHEN NOT ascending AND jsonb_typeof(e.value) = 'boolean' THEN (e.value #>> '{}')::boolean END DESC,
        CASE WHEN ascending AND jsonb_typeof(e.value) = 'number' THEN (e.value #>> '{}')::numeric END,
        CASE WHEN NOT ascending AND jsonb_typeof(e.value) = 'number' THEN (e.value #>> '{}')::numeric END DESC,
        CASE WHEN ascending AND jsonb_typeof(e.value) = 'string' THEN (e.value #>> '{}')::varchar END,
        CASE WHEN NOT ascending AND jsonb_typeof(e.value) = 'string' THEN (e.value #>> '{}')::varchar END DESC,
        e.n) FROM jsonb_array_elements(a) WITH ORDINALITY AS e(value, n)), '[]'::jsonb) END$f$;
  CREATE OR REPLACE FUNCTION public.array_sort(jsonb, boolean) RETURNS jsonb LANGUAGE sql STABLE AS $f$SELECT public.array_sort($1, $2, NOT $2)$f$;
  CREATE OR REPLACE FUNCTION public.array_sort(jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $f$SELECT public.array_sort($1, true, false)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/split_to_array.html: the default delimiter is a comma.
  CREATE OR REPLACE FUNCTION public.split_to_array(text, text DEFAULT ',') RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT to_jsonb(string_to_array($1, $2))$f$;

  IF EXISTS (SELECT 1 FROM pg_catalog.pg_description AS d JOIN pg_catalog.pg_proc AS p ON d.objoid = p.oid
             WHERE p.proname = 'sparkify_super_cast' AND p.pronamespace = 'public'::regnamespace AND d.description = '${MARKER}') THEN
    RETURN;
  END IF;
${[...comparisonSql(), ...castSql(), ...arithmeticSql(), ...literalSql()].map((statement) => `  ${statement};`).join('\n')}
  COMMENT ON FUNCTION public.sparkify_super_cast(jsonb, anyelement) IS '${MARKER}';
END
$super_functions$;`;
