/**
 * Redshift's SUPER type offline: a SUPER value is a PostgreSQL json (the dialect bridge maps the
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
const MARKER = 'sparkify: SUPER casts and comparisons v2 (json)';

/** Redshift's comparison operators between a SUPER value and a VARCHAR, a number or a boolean. */
const COMPARISONS = [
  { op: '=', name: 'eq', commutator: '=', negator: '<>' },
  { op: '<>', name: 'ne', commutator: '<>', negator: '=' },
  { op: '<', name: 'lt', commutator: '>', negator: '>=' },
  { op: '<=', name: 'le', commutator: '>=', negator: '>' },
  { op: '>', name: 'gt', commutator: '<', negator: '<=' },
  { op: '>=', name: 'ge', commutator: '<=', negator: '<' },
] as const;

/** The scalar types a SUPER value is compared with, and how a json scalar of that kind reads as one. */
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
        `CREATE FUNCTION ${fn}(json, ${scalar.type}) RETURNS boolean LANGUAGE sql IMMUTABLE AS ` +
          `$f$SELECT CASE WHEN json_typeof($1) = '${scalar.json}' THEN ${scalar.read} ${c.op} ${scalar.other} ` +
          `WHEN $1 IS NOT NULL AND $2 IS NOT NULL THEN ${mismatch} END$f$`,
      );
      reversed.push(
        `CREATE FUNCTION ${back}(${scalar.type}, json) RETURNS boolean LANGUAGE sql IMMUTABLE AS ` +
          `$f$SELECT public.sparkify_super_${commutator}_${scalar.type}($2, $1)$f$`,
      );
      operators.push(
        `CREATE OPERATOR public.${c.op} (LEFTARG = json, RIGHTARG = ${scalar.type}, FUNCTION = ${fn}, ` +
          `COMMUTATOR = OPERATOR(public.${c.commutator}), NEGATOR = OPERATOR(public.${c.negator}))`,
        `CREATE OPERATOR public.${c.op} (LEFTARG = ${scalar.type}, RIGHTARG = json, FUNCTION = ${back}, ` +
          `COMMUTATOR = OPERATOR(public.${c.commutator}), NEGATOR = OPERATOR(public.${c.negator}))`,
      );
    }
  }
  return [...functions, ...reversed, ...operators];
}

/**
 * Comparisons of two SUPER values, and the operator classes GROUP BY, DISTINCT, joins and ORDER BY
 * use (json has none of its own). query-super.html: "Amazon Redshift also supports equality on
 * objects and arrays that are evaluated as deep equal"; strings "are comparable as strings,
 * including ignoring trailing white-space characters similar to Amazon Redshift CHAR and VARCHAR
 * types", numbers of any scale are comparable (Dynamic typing); "Amazon Redshift doesn't define
 * SUPER comparisons among values with different dynamic types" (Order by), so `<` between two types
 * is NULL, as between a SUPER value and a scalar of another type (comparisonSql). ORDER BY follows
 * "a total ordering among different types ... boolean, number, string, array, object": the default
 * btree class sorts by sparkify_super_cmp through operators of their own (~<~ ...), total where the
 * user's `<` is not.
 */
function superComparisonSql(): string[] {
  const statements: string[] = [];
  const order = [
    { op: '<', name: 'lt', total: '~<~', test: '< 0', strategy: 1, commutator: '>', negator: '>=' },
    { op: '<=', name: 'le', total: '~<=~', test: '<= 0', strategy: 2, commutator: '>=', negator: '>' },
    { op: '>=', name: 'ge', total: '~>=~', test: '>= 0', strategy: 4, commutator: '<=', negator: '<' },
    { op: '>', name: 'gt', total: '~>~', test: '> 0', strategy: 5, commutator: '<', negator: '<=' },
  ] as const;
  const estimate = (name: string) => `RESTRICT = scalar${name}sel, JOIN = scalar${name}joinsel`;
  statements.push(
    'CREATE OPERATOR public.= (LEFTARG = json, RIGHTARG = json, FUNCTION = public.sparkify_super_eq, ' +
      'COMMUTATOR = OPERATOR(public.=), NEGATOR = OPERATOR(public.<>), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES)',
    'CREATE OPERATOR public.<> (LEFTARG = json, RIGHTARG = json, FUNCTION = public.sparkify_super_ne, ' +
      'COMMUTATOR = OPERATOR(public.<>), NEGATOR = OPERATOR(public.=), RESTRICT = neqsel, JOIN = neqjoinsel)',
  );
  for (const o of order) {
    const flipped = order.find((other) => other.op === o.commutator) ?? o;
    const negated = order.find((other) => other.op === o.negator) ?? o;
    statements.push(
      `CREATE FUNCTION public.sparkify_super_${o.name}(json, json) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS ` +
        `$f$SELECT CASE WHEN public.sparkify_super_rank($1) = public.sparkify_super_rank($2) THEN public.sparkify_super_cmp($1, $2) ${o.test} END$f$`,
      `CREATE FUNCTION public.sparkify_super_order_${o.name}(json, json) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS ` +
        `$f$SELECT public.sparkify_super_cmp($1, $2) ${o.test}$f$`,
      `CREATE OPERATOR public.${o.op} (LEFTARG = json, RIGHTARG = json, FUNCTION = public.sparkify_super_${o.name}, ` +
        `COMMUTATOR = OPERATOR(public.${o.commutator}), NEGATOR = OPERATOR(public.${o.negator}), ${estimate(o.name)})`,
      `CREATE OPERATOR public.${o.total} (LEFTARG = json, RIGHTARG = json, FUNCTION = public.sparkify_super_order_${o.name}, ` +
        `COMMUTATOR = OPERATOR(public.${flipped.total}), NEGATOR = OPERATOR(public.${negated.total}), ${estimate(o.name)})`,
    );
  }
  statements.push(
    'CREATE OPERATOR CLASS public.sparkify_super_ops DEFAULT FOR TYPE json USING btree AS ' +
      `${order.map((o) => `OPERATOR ${o.strategy} public.${o.total}`).join(', ')}, OPERATOR 3 public.=, ` +
      'FUNCTION 1 public.sparkify_super_cmp(json, json)',
    'CREATE OPERATOR CLASS public.sparkify_super_ops DEFAULT FOR TYPE json USING hash AS ' +
      'OPERATOR 1 public.=, FUNCTION 1 public.sparkify_super_hash(json), FUNCTION 2 public.sparkify_super_hash_extended(json, bigint)',
  );
  return statements;
}

/**
 * Casts to SUPER in an INSERT or UPDATE of a SUPER column (INSERT INTO t VALUES (5), (TRUE), (1.22),
 * the examples of https://docs.aws.amazon.com/redshift/latest/dg/r_is_integer.html, r_is_boolean.html,
 * r_is_decimal.html), and in CAST(x AS SUPER). A FLOAT becomes a SUPER float in Redshift (printed
 * 2.22e+0, r_is_float.html), which json cannot tell from a decimal: refused, not answered otherwise.
 * "Amazon Redshift doesn't cast the date and time types to SUPER data type" (limitations-super.html).
 */
function castSql(): string[] {
  const statements: string[] = [];
  for (const type of ['smallint', 'integer', 'bigint', 'numeric', 'boolean', 'text', 'character varying', 'character']) {
    statements.push(`CREATE CAST (${type} AS json) WITH FUNCTION public.sparkify_to_super(${type}) AS ASSIGNMENT`);
  }
  for (const type of ['real', 'double precision', 'date', 'timestamp', 'timestamptz', 'time', 'timetz']) {
    statements.push(`CREATE CAST (${type} AS json) WITH FUNCTION public.sparkify_to_super(${type}) AS ASSIGNMENT`);
  }
  // https://docs.aws.amazon.com/redshift/latest/dg/limitations-super.html: a cast of an object or an
  // array to a string returns NULL; a SUPER string casts to its text. CHAR(n) takes that text, then its length.
  statements.push(
    'CREATE CAST (json AS text) WITH FUNCTION public.sparkify_super_to_varchar(json)',
    'CREATE CAST (json AS character varying) WITH FUNCTION public.sparkify_super_to_varchar(json)',
    'CREATE FUNCTION public.sparkify_super_to_character(json) RETURNS character LANGUAGE sql STABLE STRICT AS ' +
      '$f$SELECT public.sparkify_super_to_varchar($1)::bpchar$f$',
    'CREATE CAST (json AS character) WITH FUNCTION public.sparkify_super_to_character(json)',
  );
  // Any SUPER value cast to a scalar type, a column as well as a navigated value (which the bridge
  // writes as sparkify_super_cast itself): NULL where the cast is invalid (query-super.html, Lax
  // semantics); a typmod (DECIMAL(10,2)) applies after, as for any cast.
  for (const type of SCALAR_TARGETS) {
    const fn = `public.sparkify_super_to_${type.replace(/ /g, '_')}`;
    statements.push(
      `CREATE FUNCTION ${fn}(json) RETURNS ${type} LANGUAGE sql STABLE STRICT AS $f$SELECT public.sparkify_super_cast($1, NULL::${type})$f$`,
      `CREATE CAST (json AS ${type}) WITH FUNCTION ${fn}(json)`,
    );
  }
  return statements;
}

/** The scalar types a SUPER value casts to, lax (castSql). */
const SCALAR_TARGETS = [
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
  'boolean',
  'date',
  'timestamp',
  'timestamptz',
] as const;

/**
 * https://docs.aws.amazon.com/redshift/latest/dg/operators-functions.html (Arithmetic operators):
 * "SUPER values support all basic arithmetic operators +, -, *, /, % using dynamic typing. The
 * resultant type of the operation remains as SUPER. For all operators, except for the binary
 * operator +, the input operands must be numbers. Otherwise, Amazon Redshift returns null ...
 * Binary operator + performs addition if the inputs are numbers or concatenation if the inputs are
 * strings. If one operand is a string and the other operand is a number, the result is null. Unary
 * prefix operators + and - return null if the SUPER value is not a number".
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
      `CREATE OPERATOR public.${op} (LEFTARG = json, RIGHTARG = json, FUNCTION = public.sparkify_super_${name})`,
      `CREATE FUNCTION public.sparkify_super_${name}(json, numeric) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_${name}($1, to_json($2))$f$`,
      `CREATE FUNCTION public.sparkify_super_${name}(numeric, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_${name}(to_json($1), $2)$f$`,
      `CREATE OPERATOR public.${op} (LEFTARG = json, RIGHTARG = numeric, FUNCTION = public.sparkify_super_${name})`,
      `CREATE OPERATOR public.${op} (LEFTARG = numeric, RIGHTARG = json, FUNCTION = public.sparkify_super_${name})`,
    );
  }
  statements.push(
    'CREATE OPERATOR public.- (RIGHTARG = json, FUNCTION = public.sparkify_super_negate)',
    'CREATE OPERATOR public.+ (RIGHTARG = json, FUNCTION = public.sparkify_super_plus)',
    // || reads a SUPER string as its VARCHAR, NULL for another type ("Other functions return null when
    // mistyped arguments are used", query-super.html), rather than PostgreSQL's anynonarray || text,
    // which would concatenate json's text, quotes and all.
    'CREATE FUNCTION public.sparkify_super_concat(json, text) RETURNS varchar LANGUAGE sql IMMUTABLE AS ' +
      '$f$SELECT (public.sparkify_super_string($1) || $2)::varchar$f$',
    'CREATE FUNCTION public.sparkify_super_concat(text, json) RETURNS varchar LANGUAGE sql IMMUTABLE AS ' +
      '$f$SELECT ($1 || public.sparkify_super_string($2))::varchar$f$',
    'CREATE OPERATOR public.|| (LEFTARG = json, RIGHTARG = text, FUNCTION = public.sparkify_super_concat)',
    'CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = json, FUNCTION = public.sparkify_super_concat)',
  );
  return statements;
}

/**
 * A string literal written as a value of INSERT ... VALUES, as Redshift reads it: the column's
 * type decides, and into a SUPER column it is a SUPER string ("If the json_parse function is
 * missing in the query, Amazon Redshift treats the value as a single string", ingest-super.html;
 * r_is_varchar.html inserts 'abc'). PostgreSQL would read an untyped literal with json's input
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
  for (const type of [...LITERAL_TARGETS, 'json']) {
    const fn = `public.sparkify_literal_to_${type.replace(/ /g, '_')}`;
    const body = type === 'json' ? 'to_json(($1).v)' : `($1).v::${type}`;
    statements.push(
      `CREATE FUNCTION ${fn}(public.sparkify_literal) RETURNS ${type} LANGUAGE sql STABLE STRICT AS $f$SELECT ${body}$f$`,
      `CREATE CAST (public.sparkify_literal AS ${type}) WITH FUNCTION ${fn}(public.sparkify_literal) AS ASSIGNMENT`,
    );
  }
  return statements;
}

/** The functions every session (re)creates: CREATE OR REPLACE. */
const FUNCTIONS_SQL = `
  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_PARSE.html: JSON text (VARCHAR or VARBYTE) to SUPER.
  -- json keeps the document's text, so its attribute order (docs/super.md, Why json). json_in, not
  -- a cast: text::json is a SUPER string here (castSql). super-configurations.html (Parsing options
  -- for SUPER): "The same attribute name cannot appear in the same object, but can appear in a
  -- nested object", an error unless json_parse_dedup_attributes is set.
  CREATE OR REPLACE FUNCTION public.sparkify_super_parsed(doc json) RETURNS json LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    twice text;
  BEGIN
    IF position('{' in format('%s', doc)) = 0 THEN RETURN doc; END IF;
    WITH RECURSIVE v(j) AS (
      SELECT doc
      UNION ALL
      SELECT c.value FROM v, LATERAL (
        SELECT e.value FROM json_each(CASE WHEN json_typeof(v.j) = 'object' THEN v.j END) AS e
        UNION ALL
        SELECT a.value FROM json_array_elements(CASE WHEN json_typeof(v.j) = 'array' THEN v.j END) AS a) AS c)
    SELECT d.k INTO twice FROM v CROSS JOIN LATERAL (
      SELECT k FROM json_object_keys(CASE WHEN json_typeof(v.j) = 'object' THEN v.j END) AS k GROUP BY k HAVING count(*) > 1) AS d
    LIMIT 1;
    IF twice IS NOT NULL THEN
      RAISE EXCEPTION 'invalid JSON: the attribute "%" appears more than once in one object', twice
        USING ERRCODE = 'invalid_text_representation';
    END IF;
    RETURN doc;
  END $f$;
  CREATE OR REPLACE FUNCTION public.json_parse(text) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT public.sparkify_super_parsed(json_in($1::cstring))$f$;
  CREATE OR REPLACE FUNCTION public.json_parse(bytea) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT public.json_parse(convert_from($1, 'UTF8'))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE.html: RFC 8259 text as Redshift
  -- prints it, no blanks between tokens ([10001,10002,"abc"]), attributes in the document's order,
  -- strings escaped only where JSON must (as local/super/print.ts prints them), numbers as written.
  -- format('%s', ...) is json's own text (a cast to text is a SUPER cast, castSql).
  CREATE OR REPLACE FUNCTION public.json_serialize(json) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE json_typeof($1)
      WHEN 'object' THEN '{' || coalesce((SELECT string_agg(format('%s', to_json(e.key)) || ':' || public.json_serialize(e.value), ',' ORDER BY e.n)
        FROM json_each($1) WITH ORDINALITY AS e(key, value, n)), '') || '}'
      WHEN 'array' THEN '[' || coalesce((SELECT string_agg(public.json_serialize(e.value), ',' ORDER BY e.n)
        FROM json_array_elements($1) WITH ORDINALITY AS e(value, n)), '') || ']'
      WHEN 'string' THEN format('%s', to_json($1 #>> '{}'))::varchar
      ELSE btrim(format('%s', $1), E' \\t\\n\\r')::varchar
    END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE_TO_VARBYTE.html
  CREATE OR REPLACE FUNCTION public.json_serialize_to_varbyte(json) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT convert_to(public.json_serialize($1), 'UTF8')$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_json_size.html: bytes of the serialized value.
  CREATE OR REPLACE FUNCTION public.json_size(json) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT octet_length(public.json_serialize($1))$f$;

  -- Comparisons of two SUPER values (superComparisonSql). The key is the value as jsonb, strings
  -- without trailing blanks: equal keys are deep-equal values, and hashing the key hashes alike
  -- what compares equal. A json null ranks after the types the page orders (see docs/super.md).
  CREATE OR REPLACE FUNCTION public.sparkify_super_key(json) RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE json_typeof($1)
      WHEN 'string' THEN to_jsonb(rtrim($1 #>> '{}', ' '))
      WHEN 'array' THEN coalesce((SELECT jsonb_agg(public.sparkify_super_key(e.value) ORDER BY e.n)
        FROM json_array_elements($1) WITH ORDINALITY AS e(value, n)), '[]'::jsonb)
      WHEN 'object' THEN coalesce((SELECT jsonb_object_agg(e.key, public.sparkify_super_key(e.value)) FROM json_each($1) AS e), '{}'::jsonb)
      ELSE $1::jsonb
    END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_rank(json) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE json_typeof($1) WHEN 'boolean' THEN 1 WHEN 'number' THEN 2 WHEN 'string' THEN 3 WHEN 'array' THEN 4 WHEN 'object' THEN 5 ELSE 6 END$f$;
  -- Arrays and objects compare as jsonb orders them: the pages do not say how Redshift orders two of them.
  CREATE OR REPLACE FUNCTION public.sparkify_super_cmp(json, json) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE
      WHEN public.sparkify_super_rank($1) <> public.sparkify_super_rank($2) THEN sign(public.sparkify_super_rank($1) - public.sparkify_super_rank($2))::integer
      WHEN json_typeof($1) = 'boolean' THEN sign(($1 #>> '{}')::boolean::integer - ($2 #>> '{}')::boolean::integer)::integer
      WHEN json_typeof($1) = 'number' THEN sign(($1 #>> '{}')::numeric - ($2 #>> '{}')::numeric)::integer
      WHEN json_typeof($1) = 'string' THEN CASE
        WHEN rtrim($1 #>> '{}', ' ') COLLATE "C" < rtrim($2 #>> '{}', ' ') COLLATE "C" THEN -1
        WHEN rtrim($1 #>> '{}', ' ') COLLATE "C" > rtrim($2 #>> '{}', ' ') COLLATE "C" THEN 1 ELSE 0 END
      WHEN json_typeof($1) = 'null' THEN 0
      ELSE jsonb_cmp(public.sparkify_super_key($1), public.sparkify_super_key($2))
    END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_eq(json, json) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT public.sparkify_super_key($1) OPERATOR(pg_catalog.=) public.sparkify_super_key($2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_ne(json, json) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT NOT public.sparkify_super_eq($1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_hash(json) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT jsonb_hash(public.sparkify_super_key($1))$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_hash_extended(json, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT jsonb_hash_extended(public.sparkify_super_key($1), $2)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_json_typeof.html: boolean, number, string,
  -- object, array or null, the names json_typeof gives.
  CREATE OR REPLACE FUNCTION public.json_typeof(json) RETURNS varchar LANGUAGE sql IMMUTABLE AS $f$SELECT json_typeof($1)::varchar$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/c_Type_Info_Functions.html and query-super.html
  -- (Types of introspection): "All these functions return false if the input value is null".
  CREATE OR REPLACE FUNCTION public.is_array(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(json_typeof($1) = 'array', false)$f$;
  CREATE OR REPLACE FUNCTION public.is_object(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(json_typeof($1) = 'object', false)$f$;
  -- r_is_scalar.html: "true for any value that is not an array or an object ... false for any other values, including null".
  CREATE OR REPLACE FUNCTION public.is_scalar(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS
    $f$SELECT coalesce(json_typeof($1) IN ('string', 'number', 'boolean'), false)$f$;
  -- r_is_boolean.html
  CREATE OR REPLACE FUNCTION public.is_boolean(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(json_typeof($1) = 'boolean', false)$f$;
  -- r_is_varchar.html: "true for all strings".
  CREATE OR REPLACE FUNCTION public.is_varchar(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(json_typeof($1) = 'string', false)$f$;
  -- r_is_char.html: "true for strings that have only ASCII characters".
  CREATE OR REPLACE FUNCTION public.is_char(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS
    $f$SELECT coalesce(json_typeof($1) = 'string' AND ($1 #>> '{}') ~ '^[\\x01-\\x7f]*$', false)$f$;
  -- r_is_decimal.html: "true for numbers that are not floating points". A json number is never a
  -- float: the twin refuses FLOAT into SUPER (castSql), so every SUPER number here is a decimal.
  CREATE OR REPLACE FUNCTION public.is_decimal(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT coalesce(json_typeof($1) = 'number', false)$f$;
  -- r_is_float.html: true for FLOAT4 and FLOAT8, which no SUPER value holds offline (see is_decimal).
  CREATE OR REPLACE FUNCTION public.is_float(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT false$f$;
  -- r_is_smallint.html, r_is_integer.html, r_is_bigint.html: "numbers of scale 0 in the 16-bit
  -- (32-bit, 64-bit) range"; limitations-super.html: "doesn't differentiate integers and decimals of scale 0".
  CREATE OR REPLACE FUNCTION public.sparkify_super_integral(json, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(json_typeof($1) = 'number' AND scale(($1 #>> '{}')::numeric) = 0
      AND ($1 #>> '{}')::numeric BETWEEN -$2 AND $2 - 1, false)$f$;
  CREATE OR REPLACE FUNCTION public.is_smallint(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 32768)$f$;
  CREATE OR REPLACE FUNCTION public.is_integer(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 2147483648)$f$;
  CREATE OR REPLACE FUNCTION public.is_bigint(json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_integral($1, 9223372036854775808)$f$;
  -- r_decimal_precision.html, r_decimal_scale.html: 3.14159 has precision 6 and scale 5; NULL for
  -- what is not a number ("Other functions return null when mistyped arguments are used", query-super.html).
  CREATE OR REPLACE FUNCTION public.decimal_scale(json) RETURNS integer LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN scale(($1 #>> '{}')::numeric) END$f$;
  CREATE OR REPLACE FUNCTION public.decimal_precision(json) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN json_typeof($1) = 'number' THEN greatest(1, scale(($1 #>> '{}')::numeric),
      length(replace(ltrim(abs(($1 #>> '{}')::numeric)::text, '0.'), '.', ''))) END$f$;

  -- PartiQL navigation (query-super.html, Navigation and Lax semantics): "Object navigation is
  -- invalid if the SUPER value is not an object or if the SUPER value is an object but doesn't
  -- contain the attribute name"; "Array navigation returns null if the SUPER value is not an array
  -- or the array index is out of bounds". Attribute names fold to lower case unless
  -- enable_case_sensitive_super_attribute is set (super-configurations.html).
  CREATE OR REPLACE FUNCTION public.sparkify_super_attribute(json, text) RETURNS json LANGUAGE sql STABLE AS $f$
    SELECT CASE WHEN json_typeof($1) = 'object' THEN $1 -> (CASE
      WHEN current_setting('sparkify.enable_case_sensitive_super_attribute', true) = 'on' THEN $2 ELSE lower($2) END) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_element(json, bigint) RETURNS json LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN json_typeof($1) = 'array' AND $2 >= 0 AND $2 < 2147483647 THEN $1 -> $2::integer END$f$;

  -- The scalar inside a SUPER value, for casts: "Casting a SUPER value to the wrong type returns
  -- null instead of an error if the cast is invalid" (query-super.html, Lax semantics).
  CREATE OR REPLACE FUNCTION public.sparkify_super_to_varchar(json) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE json_typeof($1)
      WHEN 'string' THEN ($1 #>> '{}')::varchar
      WHEN 'number' THEN public.sparkify_not_supported('a cast of a SUPER number to VARCHAR (use JSON_SERIALIZE)')::varchar
      WHEN 'boolean' THEN public.sparkify_not_supported('a cast of a SUPER boolean to VARCHAR (use JSON_SERIALIZE)')::varchar
    END$f$;
  -- limitations-super.html: 5::super::bool is true, 5.0::super::bool is NULL (a decimal of scale
  -- above 0 behaves as DECIMAL, which does not cast to BOOLEAN, and the error becomes NULL).
  CREATE OR REPLACE FUNCTION public.sparkify_super_cast(value json, target anyelement) RETURNS anyelement LANGUAGE plpgsql STABLE AS $f$
  DECLARE
    kind text := json_typeof(value);
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
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(smallint) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(integer) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(bigint) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(numeric) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(boolean) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(text) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(character varying) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1::text)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(character) RETURNS json LANGUAGE sql IMMUTABLE STRICT AS $f$SELECT to_json($1::text)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(real) RETURNS json LANGUAGE sql VOLATILE AS
    $f$SELECT public.sparkify_not_supported('a FLOAT value into SUPER (Redshift keeps it a float, json a decimal; cast it to DECIMAL first)')::json$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(double precision) RETURNS json LANGUAGE sql VOLATILE AS
    $f$SELECT public.sparkify_not_supported('a FLOAT value into SUPER (Redshift keeps it a float, json a decimal; cast it to DECIMAL first)')::json$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_no_datetime() RETURNS json LANGUAGE plpgsql VOLATILE AS $f$
  BEGIN
    RAISE EXCEPTION 'cannot cast a date or time type to super' USING ERRCODE = 'cannot_coerce';
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(date) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timestamp) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timestamptz) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(time) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_to_super(timetz) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_no_datetime()$f$;

  -- query-super.html (Unnesting queries): "y iterates over each (SUPER) value in (SUPER) array
  -- expression x"; a value that is not an array gives no rows (lax, as navigation).
  CREATE OR REPLACE FUNCTION public.sparkify_super_unnest(json) RETURNS SETOF json LANGUAGE sql IMMUTABLE AS $f$
    SELECT e.value FROM json_array_elements(CASE WHEN json_typeof($1) = 'array' THEN $1 ELSE '[]'::json END) WITH ORDINALITY AS e(value, n)
    ORDER BY e.n$f$;

  -- "The clause x AS y AT z iterates over array x and generates the field z, which is the array index" (from 0).
  CREATE OR REPLACE FUNCTION public.sparkify_super_unnest_at(json) RETURNS TABLE (value json, index integer) LANGUAGE sql IMMUTABLE AS $f$
    SELECT e.value, (e.n - 1)::integer FROM json_array_elements(CASE WHEN json_typeof($1) = 'array' THEN $1 ELSE '[]'::json END)
      WITH ORDINALITY AS e(value, n) ORDER BY e.n$f$;

  -- A value of ARRAY(...) or OBJECT(...): as a cast to SUPER would take it (castSql), datetime and FLOAT refused.
  CREATE OR REPLACE FUNCTION public.sparkify_super_value(anyelement) RETURNS json LANGUAGE plpgsql STABLE AS $f$
  BEGIN
    IF pg_typeof($1) IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype, 'time'::regtype, 'timetz'::regtype) THEN
      RETURN public.sparkify_super_no_datetime();
    ELSIF pg_typeof($1) IN ('real'::regtype, 'double precision'::regtype) THEN
      RETURN public.sparkify_to_super($1::double precision);
    END IF;
    RETURN to_json($1);
  END $f$;
  -- A bare literal or NULL: text, as Redshift reads it.
  CREATE OR REPLACE FUNCTION public.sparkify_super_value(text) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT to_json($1)$f$;

  -- SUPER arithmetic (arithmeticSql). Both numbers of scale 0 compute as integers (limitations-super.html:
  -- "doesn't differentiate integers and decimals of scale 0"; a division truncates, as an INTEGER's);
  -- otherwise as DECIMAL, with a quotient's scale max(4, s1 + p2 - s2 + 1) (r_numeric_computations201.html,
  -- which gives the page's (o_orderkey + 0.5) * o_orderkey / 10 = 1757958232200.1500).
  CREATE OR REPLACE FUNCTION public.sparkify_super_arithmetic(op text, a json, b json) RETURNS json LANGUAGE plpgsql IMMUTABLE AS $f$
  DECLARE
    x numeric;
    y numeric;
  BEGIN
    IF a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
    IF op = '+' AND json_typeof(a) = 'string' AND json_typeof(b) = 'string' THEN
      RETURN to_json((a #>> '{}') || (b #>> '{}'));
    END IF;
    IF json_typeof(a) <> 'number' OR json_typeof(b) <> 'number' THEN RETURN NULL; END IF;
    x := (a #>> '{}')::numeric;
    y := (b #>> '{}')::numeric;
    IF op = '/' THEN
      IF scale(x) = 0 AND scale(y) = 0 THEN RETURN to_json(trunc(x / y)); END IF;
      RETURN to_json(round(x / y, greatest(4, scale(x) + public.decimal_precision(b) - scale(y) + 1)));
    END IF;
    RETURN to_json(CASE op WHEN '+' THEN x + y WHEN '-' THEN x - y WHEN '*' THEN x * y ELSE mod(x, y) END);
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_add(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('+', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_sub(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('-', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_mul(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('*', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_div(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('/', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_mod(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.sparkify_super_arithmetic('%', $1, $2)$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_negate(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(-($1 #>> '{}')::numeric) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_plus(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN $1 END$f$;
  -- operators-functions.html (Arithmetic functions): FLOOR, CEIL and CEILING, ROUND, TRUNC and ABS
  -- take a SUPER number ("If the input isn't a number, they return null"); the page's example
  -- prints FLOOR, CEIL and ROUND of 1389636795898.0500 without decimals.
  CREATE OR REPLACE FUNCTION public.floor(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(floor(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.ceil(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(ceil(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.ceiling(json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$SELECT public.ceil($1)$f$;
  CREATE OR REPLACE FUNCTION public.round(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(round(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.trunc(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(trunc(($1 #>> '{}')::numeric)) END$f$;
  CREATE OR REPLACE FUNCTION public.abs(json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'number' THEN to_json(abs(($1 #>> '{}')::numeric)) END$f$;

  -- A SUPER string as a string function reads it; NULL for another type (query-super.html, Dynamic
  -- typing: "Other functions return null when mistyped arguments are used").
  CREATE OR REPLACE FUNCTION public.sparkify_super_string(json) RETURNS varchar LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'string' THEN ($1 #>> '{}')::varchar END$f$;
  -- Aggregates of SUPER values: the type Redshift's dynamic typing gives their result is not on the
  -- pages; refused, naming the cast that makes the aggregate a plain one.
  CREATE OR REPLACE FUNCTION public.sparkify_super_aggregate(state json, value json, name text) RETURNS json LANGUAGE plpgsql VOLATILE AS $f$
  BEGIN
    IF value IS NULL THEN RETURN state; END IF;
    RETURN public.sparkify_not_supported(format('%s of a SUPER value (cast it first, e.g. %s(e.payload.length::DECIMAL(10,5)))', name, name))::json;
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_sum(json, json) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'SUM')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_avg(json, json) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'AVG')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_min(json, json) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'MIN')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_super_max(json, json) RETURNS json LANGUAGE sql VOLATILE AS $f$SELECT public.sparkify_super_aggregate($1, $2, 'MAX')$f$;
  CREATE OR REPLACE AGGREGATE public.sum(json) (SFUNC = public.sparkify_super_sum, STYPE = json);
  CREATE OR REPLACE AGGREGATE public.avg(json) (SFUNC = public.sparkify_super_avg, STYPE = json);
  CREATE OR REPLACE AGGREGATE public.min(json) (SFUNC = public.sparkify_super_min, STYPE = json);
  CREATE OR REPLACE AGGREGATE public.max(json) (SFUNC = public.sparkify_super_max, STYPE = json);
  -- https://docs.aws.amazon.com/redshift/latest/dg/get_array_length.html
  CREATE OR REPLACE FUNCTION public.get_array_length(json) RETURNS integer LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'array' THEN json_array_length($1) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_array_concat.html
  CREATE OR REPLACE FUNCTION public.array_concat(json, json) RETURNS json LANGUAGE sql IMMUTABLE AS
    $f$SELECT CASE WHEN json_typeof($1) = 'array' AND json_typeof($2) = 'array' THEN coalesce((SELECT json_agg(e.value ORDER BY e.part, e.n)
      FROM (SELECT 1, a.* FROM json_array_elements($1) WITH ORDINALITY AS a UNION ALL SELECT 2, b.* FROM json_array_elements($2) WITH ORDINALITY AS b)
        AS e(part, value, n)), '[]'::json) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/r_subarray.html: SUBARRAY(array, start, length), 0-based start.
  CREATE OR REPLACE FUNCTION public.subarray(json, integer, integer) RETURNS json LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN json_typeof($1) = 'array' THEN coalesce((SELECT json_agg(e.value ORDER BY e.n)
      FROM json_array_elements($1) WITH ORDINALITY AS e(value, n) WHERE e.n - 1 >= $2 AND e.n - 1 < $2 + $3), '[]'::json) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/array_flatten.html: one level of nesting removed, recursively.
  CREATE OR REPLACE FUNCTION public.array_flatten(json) RETURNS json LANGUAGE sql IMMUTABLE AS $f$
    SELECT CASE WHEN json_typeof($1) = 'array' THEN coalesce((SELECT json_agg(f.value ORDER BY e.n, f.m)
      FROM json_array_elements($1) WITH ORDINALITY AS e(value, n)
      CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(e.value) = 'array' THEN public.array_flatten(e.value)
        ELSE json_build_array(e.value) END) WITH ORDINALITY AS f(value, m)), '[]'::json) END$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/array_sort.html: ARRAY_SORT(array [, sort_ascending
  -- [, nulls_first]]), "ordered according to the following type precedence: Boolean values, Numeric
  -- values, String values, Arrays, Objects", each type in its natural order; the page's examples put
  -- NULLs last ascending and first descending unless nulls_first says. How arrays and objects order
  -- among themselves is not on the page: an array holding one is refused when it runs. Strings order
  -- as VARCHAR does offline (trailing blanks ignored, varchar-semantics.ts).
  CREATE OR REPLACE FUNCTION public.array_sort(a json, ascending boolean, nulls_first boolean) RETURNS json LANGUAGE sql STABLE STRICT AS $f$
    SELECT CASE WHEN json_typeof(a) <> 'array' THEN NULL
      WHEN EXISTS (SELECT FROM json_array_elements(a) AS e(value) WHERE json_typeof(e.value) IN ('array', 'object')) THEN
        public.sparkify_not_supported('ARRAY_SORT of an array holding arrays or objects (the page does not say how Redshift orders them)')::json
      ELSE coalesce((SELECT json_agg(e.value ORDER BY
        CASE WHEN json_typeof(e.value) = 'null' THEN CASE WHEN nulls_first THEN 0 ELSE 2 END ELSE 1 END,
        CASE WHEN ascending THEN array_position(ARRAY['boolean', 'number', 'string'], json_typeof(e.value)) END,
        CASE WHEN NOT ascending THEN array_position(ARRAY['boolean', 'number', 'string'], json_typeof(e.value)) END DESC,
        CASE WHEN ascending AND json_typeof(e.value) = 'boolean' THEN (e.value #>> '{}')::boolean END,
        CASE WHEN NOT ascending AND json_typeof(e.value) = 'boolean' THEN (e.value #>> '{}')::boolean END DESC,
        CASE WHEN ascending AND json_typeof(e.value) = 'number' THEN (e.value #>> '{}')::numeric END,
        CASE WHEN NOT ascending AND json_typeof(e.value) = 'number' THEN (e.value #>> '{}')::numeric END DESC,
        CASE WHEN ascending AND json_typeof(e.value) = 'string' THEN (e.value #>> '{}')::varchar END,
        CASE WHEN NOT ascending AND json_typeof(e.value) = 'string' THEN (e.value #>> '{}')::varchar END DESC,
        e.n) FROM json_array_elements(a) WITH ORDINALITY AS e(value, n)), '[]'::json) END$f$;
  CREATE OR REPLACE FUNCTION public.array_sort(json, boolean) RETURNS json LANGUAGE sql STABLE AS $f$SELECT public.array_sort($1, $2, NOT $2)$f$;
  CREATE OR REPLACE FUNCTION public.array_sort(json) RETURNS json LANGUAGE sql STABLE AS $f$SELECT public.array_sort($1, true, false)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/split_to_array.html: the default delimiter is a comma.
  CREATE OR REPLACE FUNCTION public.split_to_array(text, text DEFAULT ',') RETURNS json LANGUAGE sql IMMUTABLE STRICT AS
    $f$SELECT to_json(string_to_array($1, $2))$f$;`;

/** What has no OR REPLACE, created once per marker. */
const ONCE_SQL = [...comparisonSql(), ...superComparisonSql(), ...castSql(), ...arithmeticSql(), ...literalSql()]
  .map((statement) => `  ${statement};`)
  .join('\n');

/** The prelude's function names, whose jsonb versions an earlier twin installed (migration below). */
const FUNCTION_NAMES = [
  ...new Set([...`${FUNCTIONS_SQL}${ONCE_SQL}`.matchAll(/FUNCTION public\.(\w+)\(/g)].map((match) => `'${match[1] ?? ''}'`)),
];

export const SUPER_FUNCTIONS_SQL = `DO $super_functions$
DECLARE
  old text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify super functions'));

  -- A database set up when SUPER was jsonb: functions of the same names and arguments returned jsonb,
  -- which CREATE OR REPLACE cannot change. They go, with the operators, casts and aggregates built on them.
  IF to_regprocedure('public.sparkify_super_cast(jsonb, anyelement)') IS NOT NULL THEN
    DROP TYPE IF EXISTS public.sparkify_literal CASCADE;
    FOR old IN SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
               WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' AND p.proname IN (${FUNCTION_NAMES.join(', ')})
                 AND (p.prorettype = 'jsonb'::regtype OR 'jsonb'::regtype::oid = ANY (p.proargtypes::oid[])) LOOP
      EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', old);
    END LOOP;
  END IF;

${FUNCTIONS_SQL}
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_description AS d JOIN pg_catalog.pg_proc AS p ON d.objoid = p.oid
             WHERE p.proname = 'sparkify_super_cast' AND p.pronamespace = 'public'::regnamespace AND d.description = '${MARKER}') THEN
    RETURN;
  END IF;
${ONCE_SQL}
  COMMENT ON FUNCTION public.sparkify_super_cast(json, anyelement) IS '${MARKER}';
END
$super_functions$;`;
