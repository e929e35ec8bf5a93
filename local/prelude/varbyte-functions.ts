/**
 * VARBYTE offline is PostgreSQL's bytea (the dialect bridge maps VARBYTE, VARBINARY and BINARY
 * VARYING to it); local/engine.ts prints it as Redshift does, hex without PostgreSQL's \x.
 * Here: Redshift's VARBYTE functions (https://docs.aws.amazon.com/redshift/latest/dg/varbyte-functions.html),
 * its operators (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_OPERATORS.html) and its
 * casts (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html). Operators and casts
 * have no CREATE OR REPLACE: each is created when missing. The prelude runs as the superuser the
 * twin connects as, which CREATE CAST on built-in types needs.
 */

/** Redshift's bitwise VARBYTE operators, each a wrapper of sparkify_varbyte_bits. */
const BITWISE = [
  { op: '&', name: 'and' },
  { op: '|', name: 'or' },
  { op: '#', name: 'xor' },
] as const;

function bitwiseSql({ op, name }: (typeof BITWISE)[number]): string {
  return `  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_${name}(a bytea, b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_varbyte_bits(a, b, '${op}')$f$;`;
}

/** The operators on VARBYTE; one without a left argument is a prefix operator. */
const OPERATORS: readonly { readonly op: string; readonly fn: string; readonly prefix?: boolean }[] = [
  { op: '+', fn: 'pg_catalog.byteacat' },
  ...BITWISE.map(({ op, name }) => ({ op, fn: `public.sparkify_varbyte_${name}` })),
  { op: '~', fn: 'public.sparkify_varbyte_not', prefix: true },
];

/** Operators have no CREATE OR REPLACE: created when PostgreSQL has none of that name and arguments. */
function operatorSql({ op, fn, prefix }: (typeof OPERATORS)[number]): string {
  const left = prefix ? '0' : "'bytea'::regtype";
  const args = prefix ? 'RIGHTARG = bytea' : 'LEFTARG = bytea, RIGHTARG = bytea';
  return `  IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '${op}' AND oprleft = ${left} AND oprright = 'bytea'::regtype) THEN
    CREATE OPERATOR public.${op} (${args}, FUNCTION = ${fn});
  END IF;`;
}

/** pg_cast's names of the types whose SQL name differs. */
const REGTYPE: Readonly<Record<string, string>> = { character: 'bpchar', smallint: 'int2', integer: 'int4', bigint: 'int8' };

interface Cast {
  readonly from: string;
  readonly to: string;
  /** The cast's function, with its argument types. */
  readonly fn: string;
}

/** Casts have no CREATE OR REPLACE either: created when PostgreSQL has none between the two types. */
function castSql({ from, to, fn }: Cast): string {
  return `  IF NOT EXISTS (SELECT 1 FROM pg_cast WHERE castsource = '${REGTYPE[from] ?? from}'::regtype AND casttarget = '${REGTYPE[to] ?? to}'::regtype) THEN
    CREATE CAST (${from} AS ${to}) WITH FUNCTION ${fn};
  END IF;`;
}

/** The casts between strings and VARBYTE, and from the integers to VARBYTE (see the SQL's comment). */
const CASTS: readonly Cast[] = [
  { from: 'text', to: 'bytea', fn: 'public.sparkify_text_to_varbyte(text)' },
  { from: 'varchar', to: 'bytea', fn: 'public.sparkify_text_to_varbyte(text)' },
  { from: 'character', to: 'bytea', fn: 'public.sparkify_char_to_varbyte(character)' },
  { from: 'bytea', to: 'text', fn: 'public.sparkify_varbyte_to_text(bytea)' },
  { from: 'bytea', to: 'varchar', fn: 'public.sparkify_varbyte_to_varchar(bytea)' },
  { from: 'smallint', to: 'bytea', fn: 'pg_catalog.int2send(smallint)' },
  { from: 'integer', to: 'bytea', fn: 'pg_catalog.int4send(integer)' },
  { from: 'bigint', to: 'bytea', fn: 'pg_catalog.int8send(bigint)' },
];

/** The integer types a VARBYTE of exactly their size casts to, read by sparkify_varbyte_to_int8. */
const INTEGERS = [
  { type: 'smallint', bytes: 2 },
  { type: 'integer', bytes: 4 },
  { type: 'bigint', bytes: 8 },
] as const;

function integerSql({ type, bytes }: (typeof INTEGERS)[number]): string {
  // sparkify_varbyte_to_int8 gives a bigint already.
  const narrowed = type === 'bigint' ? '' : `::${type}`;
  return `  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_to_${type}(v bytea) RETURNS ${type} LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_varbyte_to_int8(v, ${bytes}, '${type.toUpperCase()}')${narrowed}$f$;`;
}

export const VARBYTE_FUNCTIONS_SQL = `DO $varbyte_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TO_VARBYTE.html: 'hex' (an odd length gets a
  -- leading 0: '4' is 04), 'binary' (bits, '01001101' is 4d), 'utf8' or 'utf-8', in any case.
  CREATE OR REPLACE FUNCTION public.to_varbyte(string text, fmt text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    bits text;
    out bytea := '';
  BEGIN
    CASE lower(fmt)
      WHEN 'hex' THEN
        RETURN decode(CASE WHEN length(string) % 2 = 1 THEN '0' || string ELSE string END, 'hex');
      WHEN 'binary' THEN
        IF string !~ '^[01]*$' THEN
          RAISE EXCEPTION 'TO_VARBYTE: % is not a binary string', string USING ERRCODE = 'invalid_text_representation';
        END IF;
        bits := lpad(string, ((length(string) + 7) / 8) * 8, '0');
        FOR i IN 0..length(bits) / 8 - 1 LOOP
          out := out || set_byte('\\x00'::bytea, 0, substr(bits, i * 8 + 1, 8)::bit(8)::int);
        END LOOP;
        RETURN out;
      WHEN 'utf8', 'utf-8' THEN
        RETURN convert_to(string, 'UTF8');
      ELSE
        RAISE EXCEPTION 'TO_VARBYTE: invalid format %: use hex, binary, utf8 or utf-8', fmt USING ERRCODE = 'invalid_parameter_value';
    END CASE;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_FROM_VARBYTE.html: the same formats, back to a VARCHAR.
  CREATE OR REPLACE FUNCTION public.from_varbyte(b bytea, fmt text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  BEGIN
    CASE lower(fmt)
      WHEN 'hex' THEN RETURN encode(b, 'hex');
      WHEN 'binary' THEN
        RETURN coalesce((SELECT string_agg(get_byte(b, i)::bit(8)::text, '' ORDER BY i) FROM generate_series(0, length(b) - 1) AS i), '');
      WHEN 'utf8', 'utf-8' THEN RETURN convert_from(b, 'UTF8');
      ELSE
        RAISE EXCEPTION 'FROM_VARBYTE: invalid format %: use hex, binary, utf8 or utf-8', fmt USING ERRCODE = 'invalid_parameter_value';
    END CASE;
  END $f$;

  -- The result of SUBSTRING, SUBSTR or CONCAT, by its type: a string is VARCHAR, compared as Redshift
  -- compares strings (varchar-semantics.ts), and a VARBYTE stays VARBYTE, as r_SUBSTRING.html
  -- (substring('abc'::varbyte, 2, 1) is 62) and r_CONCAT.html (616263646566) print.
  CREATE OR REPLACE FUNCTION public.sparkify_string_result(v text) RETURNS varchar LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT v::pg_catalog.varchar$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_string_result(v bytea) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT v$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_FROM_HEX.html: FROM_HEX('6162') is the VARBYTE 6162.
  CREATE OR REPLACE FUNCTION public.from_hex(hex_string text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.to_varbyte(hex_string, 'hex')$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_TO_HEX.html: of a VARBYTE, its bytes in hex
  -- (to_hex('abc'::varbyte) is 616263); of a number, PostgreSQL's own to_hex gives the page's 8002f2af.
  CREATE OR REPLACE FUNCTION public.to_hex(value bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT encode(value, 'hex')$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_GETBIT.html: bits numbered from the rightmost
  -- (least significant) bit of the value, 0-based: getbit(from_hex('4d'), 2) is 1. PostgreSQL's
  -- get_bit numbers from the first byte's least significant bit.
  CREATE OR REPLACE FUNCTION public.getbit(b bytea, index integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT get_bit(b, (length(b) - 1 - index / 8) * 8 + index % 8)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_OPERATORS.html: + concatenates like
  -- ||; ~, &, |, # work bit by bit. The page shows equal lengths only; unequal ones are refused.
  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_bits(a bytea, b bytea, op text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE out bytea := a;
  BEGIN
    IF length(a) <> length(b) THEN
      RETURN public.sparkify_not_supported(format('VARBYTE %s of values of different lengths (%s and %s bytes)', op, length(a), length(b)))::bytea;
    END IF;
    FOR i IN 0..length(a) - 1 LOOP
      out := set_byte(out, i, CASE op
        WHEN '&' THEN get_byte(a, i) & get_byte(b, i)
        WHEN '|' THEN get_byte(a, i) | get_byte(b, i)
        ELSE get_byte(a, i) # get_byte(b, i)
      END);
    END LOOP;
    RETURN out;
  END $f$;
${BITWISE.map(bitwiseSql).join('\n')}
  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_not(a bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE out bytea := a;
  BEGIN
    FOR i IN 0..length(a) - 1 LOOP out := set_byte(out, i, 255 - get_byte(a, i)); END LOOP;
    RETURN out;
  END $f$;
${OPERATORS.map(operatorSql).join('\n')}

  -- Casts (https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html): CHAR and VARCHAR
  -- as their UTF-8 bytes, a CHAR with the blanks that pad it to its length ('aa' in CHAR(10) is
  -- 61612020202020202020); SMALLINT, INTEGER and BIGINT as their 2, 4 and 8 bytes, most
  -- significant first (5::int::varbyte is 00000005); a VARBYTE to VARCHAR as UTF-8 text.
  CREATE OR REPLACE FUNCTION public.sparkify_text_to_varbyte(v text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT convert_to(v, 'UTF8')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_char_to_varbyte(v character) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT convert_to(format('%s', v), 'UTF8')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_to_text(v bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT convert_from(v, 'UTF8')$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_to_varchar(v bytea) RETURNS varchar LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT convert_from(v, 'UTF8')::varchar$f$;
${CASTS.map(castSql).join('\n')}
  -- And back: a VARBYTE of exactly the type's 2, 4 or 8 bytes, most significant first, read as a
  -- two's-complement integer; the page shows no other length, which is refused. PostgreSQL 18 has
  -- these casts built in (same reading), so there they are its own.
  CREATE OR REPLACE FUNCTION public.sparkify_varbyte_to_int8(v bytea, size int, what text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE n bigint := 0;
  BEGIN
    IF length(v) <> size THEN
      RETURN public.sparkify_not_supported(format('casting a %s-byte VARBYTE to %s (%s bytes)', length(v), what, size))::bigint;
    END IF;
    FOR i IN 0..size - 1 LOOP n := (n << 8) | get_byte(v, i); END LOOP;
    -- Sign-extend the top bit of a 2- or 4-byte value.
    IF size < 8 AND n >= (1::bigint << (8 * size - 1)) THEN n := n - (1::bigint << (8 * size)); END IF;
    RETURN n;
  END $f$;
${INTEGERS.map(integerSql).join('\n')}
${INTEGERS.map(({ type }) => castSql({ from: 'bytea', to: type, fn: `public.sparkify_varbyte_to_${type}(bytea)` })).join('\n')}
END
$varbyte_functions$;
`;
