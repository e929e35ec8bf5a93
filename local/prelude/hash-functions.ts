/**
 * Redshift's non-cryptographic hash functions, bit for bit. PostgreSQL's BIGINT arithmetic raises
 * on overflow, so 64-bit wrapping products and sums go through NUMERIC (exact) and come back as the
 * signed BIGINT with the same 64 bits; XOR and shifts stay in BIGINT, where they never raise.
 * A value whose binary form the page does not pin down (DECIMAL, floats, dates) is refused with
 * "not supported offline" rather than hashed some other way.
 */
export const HASH_FUNCTIONS_SQL = `DO $hash_functions$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify redshift functions'));

  -- Unsigned 64-bit arithmetic on BIGINT bit patterns: a + b and a * b modulo 2^64.
  CREATE OR REPLACE FUNCTION public.sparkify_u64(v bigint) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN v < 0 THEN v::numeric + 18446744073709551616 ELSE v::numeric END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_s64(v numeric) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN m >= 9223372036854775808 THEN (m - 18446744073709551616)::bigint ELSE m::bigint END
    FROM (SELECT mod(v, 18446744073709551616) AS m) AS w$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_add64(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_s64(public.sparkify_u64(a) + public.sparkify_u64(b))$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_mul64(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_s64(public.sparkify_u64(a) * public.sparkify_u64(b))$f$;
  -- Logical (not arithmetic) right shift, and rotate right, of 64 bits.
  CREATE OR REPLACE FUNCTION public.sparkify_shr64(v bigint, s int) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN s = 0 THEN v ELSE (v >> s) & ~((-1)::bigint << (64 - s)) END$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_ror64(v bigint, s int) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT CASE WHEN s = 0 THEN v ELSE public.sparkify_shr64(v, s) | (v << (64 - s)) END$f$;
  -- Little-endian 64- and 32-bit words of a byte string.
  CREATE OR REPLACE FUNCTION public.sparkify_fetch64(b bytea, at int) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE v bigint := 0;
  BEGIN
    FOR i IN REVERSE 7..0 LOOP v := (v << 8) | get_byte(b, at + i); END LOOP;
    RETURN v;
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_fetch32(b bytea, at int) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT (get_byte(b, at + 3)::bigint << 24) | (get_byte(b, at + 2) << 16) | (get_byte(b, at + 1) << 8) | get_byte(b, at)$f$;
  -- Little-endian bytes of an integer: Redshift hashes "the binary representation of the value".
  CREATE OR REPLACE FUNCTION public.sparkify_le_bytes(v bigint, n int) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE out bytea := '';
  BEGIN
    FOR i IN 0..n - 1 LOOP out := out || set_byte('\\x00'::bytea, 0, ((v >> (8 * i)) & 255)::int); END LOOP;
    RETURN out;
  END $f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_FNV_HASH.html: 64-bit FNV-1a over the value's
  -- binary form (SMALLINT 2 bytes, INTEGER 4, BIGINT 8, strings their bytes, CHAR with its trailing
  -- blanks); the seed, when given, replaces the offset basis, so fnv_hash('cd', fnv_hash('ab')) =
  -- fnv_hash('abcd'). The prime 2^40 + 435 makes the product a shift and a small multiply.
  CREATE OR REPLACE FUNCTION public.sparkify_fnv1a(b bytea, seed bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE h bigint := seed;
  BEGIN
    FOR i IN 0..length(b) - 1 LOOP
      h := h # get_byte(b, i);
      h := public.sparkify_add64(h << 40, public.sparkify_mul64(h, 435));
    END LOOP;
    RETURN h;
  END $f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v text, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(convert_to(v, 'UTF8'), seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v character, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(convert_to(format('%s', v), 'UTF8'), seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v smallint, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(public.sparkify_le_bytes(v, 2), seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v integer, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(public.sparkify_le_bytes(v, 4), seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v bigint, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(public.sparkify_le_bytes(v, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v bytea, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_fnv1a(v, seed)$f$;
  CREATE OR REPLACE FUNCTION public.fnv_hash(v anyelement, seed bigint DEFAULT -3750763034362895579) RETURNS bigint LANGUAGE sql VOLATILE AS $f$
    SELECT public.sparkify_not_supported(format('FNV_HASH of a %s value (the page gives the binary form of integers and strings only)', pg_typeof(v)))::bigint$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/MURMUR3_32_HASH.html: Murmur3 x86 32-bit, seed 0
  -- unless given, over the Apache Iceberg binary form (https://iceberg.apache.org/spec/#appendix-b-32-bit-hash-requirements):
  -- every integer type as an 8-byte little-endian long, strings as UTF-8 bytes, binary as is; a
  -- DATE as its days since 1970-01-01, a TIME as microseconds since midnight, a TIMESTAMP (and a
  -- TIMESTAMPTZ, in UTC) as microseconds since the epoch, each a long; a DECIMAL as its unscaled
  -- value's shortest two's-complement bytes, most significant first.
  -- 32-bit products split the constant in 16-bit halves, so no BIGINT product overflows.
  CREATE OR REPLACE FUNCTION public.sparkify_mul32(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT (a * (b & 65535) + (((a * (b >> 16)) & 65535) << 16)) & 4294967295$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_rotl32(v bigint, s int) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT ((v << s) | (v >> (32 - s))) & 4294967295$f$;
  CREATE OR REPLACE FUNCTION public.sparkify_murmur3(b bytea, seed integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    h bigint := seed::bigint & 4294967295;
    n int := length(b);
    k bigint;
    i int := 0;
  BEGIN
    WHILE i + 4 <= n LOOP
      k := public.sparkify_fetch32(b, i);
      k := public.sparkify_mul32(public.sparkify_rotl32(public.sparkify_mul32(k, 3432918353), 15), 461845907);
      h := public.sparkify_rotl32(h # k, 13);
      h := (public.sparkify_mul32(h, 5) + 3864292196) & 4294967295;
      i := i + 4;
    END LOOP;
    IF n % 4 > 0 THEN
      k := 0;
      IF n % 4 >= 3 THEN k := k # (get_byte(b, i + 2)::bigint << 16); END IF;
      IF n % 4 >= 2 THEN k := k # (get_byte(b, i + 1)::bigint << 8); END IF;
      k := k # get_byte(b, i);
      h := h # public.sparkify_mul32(public.sparkify_rotl32(public.sparkify_mul32(k, 3432918353), 15), 461845907);
    END IF;
    h := h # n;
    h := h # (h >> 16);
    h := public.sparkify_mul32(h, 2246822507);
    h := h # (h >> 13);
    h := public.sparkify_mul32(h, 3266489909);
    h := h # (h >> 16);
    RETURN CASE WHEN h >= 2147483648 THEN h - 4294967296 ELSE h END;
  END $f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v text, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(convert_to(v, 'UTF8'), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v bigint, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes(v, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v integer, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes(v, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v smallint, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes(v, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v bytea, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(v, seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v date, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes(v - DATE '1970-01-01', 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v time, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes((extract(epoch FROM v) * 1000000)::bigint, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v timestamp, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes((extract(epoch FROM v) * 1000000)::bigint, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v timestamptz, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_murmur3(public.sparkify_le_bytes((extract(epoch FROM v) * 1000000)::bigint, 8), seed)$f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v numeric, seed integer DEFAULT 0) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    unscaled numeric := v * power(10::numeric, scale(v));
    -- Two's complement: a negative n is stored as 256^k + n in the fewest bytes k that keep the sign bit.
    k int := 1;
    u numeric;
    out bytea := '';
  BEGIN
    WHILE unscaled >= power(2::numeric, 8 * k - 1) OR unscaled < -power(2::numeric, 8 * k - 1) LOOP k := k + 1; END LOOP;
    u := CASE WHEN unscaled < 0 THEN power(256::numeric, k) + unscaled ELSE unscaled END;
    FOR i IN 1..k LOOP
      out := set_byte('\\x00'::bytea, 0, mod(u, 256)::int) || out;
      u := div(u, 256);
    END LOOP;
    RETURN public.sparkify_murmur3(out, seed);
  END $f$;
  CREATE OR REPLACE FUNCTION public.murmur3_32_hash(v anyelement, seed integer DEFAULT 0) RETURNS integer LANGUAGE sql VOLATILE AS $f$
    SELECT public.sparkify_not_supported(format('MURMUR3_32_HASH of a %s value (offline hashes the Iceberg binary forms of integers, DECIMAL, dates, times, timestamps, strings and VARBYTE)', pg_typeof(v)))::integer$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/crc32-function.html: "based on the CRC-32C
  -- polynomial" (Castagnoli, reflected 0x82F63B78), as 8 lowercase hex digits: 'Amazon Redshift'
  -- gives f2726906. PostgreSQL 18's own crc32(bytea) is the other polynomial.
  CREATE OR REPLACE FUNCTION public.sparkify_crc32c(b bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE c bigint := 4294967295;
  BEGIN
    FOR i IN 0..length(b) - 1 LOOP
      c := c # get_byte(b, i);
      FOR j IN 1..8 LOOP
        c := CASE WHEN c & 1 = 1 THEN (c >> 1) # 2197175160 ELSE c >> 1 END;
      END LOOP;
    END LOOP;
    RETURN lpad(to_hex(c # 4294967295), 8, '0');
  END $f$;
  CREATE OR REPLACE FUNCTION public.crc32(v text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_crc32c(convert_to(v, 'UTF8'))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/r_FARMFINGERPRINT64.html: farmhash's
  -- Fingerprint64 (farmhashna::Hash64, https://github.com/google/farmhash) of a VARCHAR's UTF-8
  -- bytes or a VARBYTE's bytes.
  CREATE OR REPLACE FUNCTION public.sparkify_farm_hashlen16(u bigint, v bigint, mul bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE a bigint; b bigint;
  BEGIN
    a := public.sparkify_mul64(u # v, mul);
    a := a # public.sparkify_shr64(a, 47);
    b := public.sparkify_mul64(v # a, mul);
    b := b # public.sparkify_shr64(b, 47);
    RETURN public.sparkify_mul64(b, mul);
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_farm_shiftmix(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT v # public.sparkify_shr64(v, 47)$f$;
  -- WeakHashLen32WithSeeds(Fetch64(s), Fetch64(s+8), Fetch64(s+16), Fetch64(s+24), a, b).
  CREATE OR REPLACE FUNCTION public.sparkify_farm_weak32(s bytea, at int, a bigint, b bigint) RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    w bigint := public.sparkify_fetch64(s, at);
    x bigint := public.sparkify_fetch64(s, at + 8);
    y bigint := public.sparkify_fetch64(s, at + 16);
    z bigint := public.sparkify_fetch64(s, at + 24);
    c bigint;
  BEGIN
    a := public.sparkify_add64(a, w);
    b := public.sparkify_ror64(public.sparkify_add64(public.sparkify_add64(b, a), z), 21);
    c := a;
    a := public.sparkify_add64(public.sparkify_add64(a, x), y);
    b := public.sparkify_add64(b, public.sparkify_ror64(a, 44));
    RETURN ARRAY[public.sparkify_add64(a, z), public.sparkify_add64(b, c)];
  END $f$;
  CREATE OR REPLACE FUNCTION public.sparkify_farm64(s bytea) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    k0 bigint := -4348849565147123417;  -- 0xc3a5c85c97cb3127
    k1 bigint := -5435081209227447693;  -- 0xb492b66fbe98f273
    k2 bigint := -7286425919675154353;  -- 0x9ae16a3b2f90404f
    len int := length(s);
    mul bigint; a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; g bigint; h bigint;
    x bigint; y bigint; z bigint; t bigint;
    v bigint[]; w bigint[];
    at int; last64 int; stop int;
  BEGIN
    IF len <= 16 THEN
      IF len >= 8 THEN
        mul := public.sparkify_add64(k2, len * 2);
        a := public.sparkify_add64(public.sparkify_fetch64(s, 0), k2);
        b := public.sparkify_fetch64(s, len - 8);
        c := public.sparkify_add64(public.sparkify_mul64(public.sparkify_ror64(b, 37), mul), a);
        d := public.sparkify_mul64(public.sparkify_add64(public.sparkify_ror64(a, 25), b), mul);
        RETURN public.sparkify_farm_hashlen16(c, d, mul);
      ELSIF len >= 4 THEN
        mul := public.sparkify_add64(k2, len * 2);
        a := public.sparkify_fetch32(s, 0);
        RETURN public.sparkify_farm_hashlen16(len + (a << 3), public.sparkify_fetch32(s, len - 4), mul);
      ELSIF len > 0 THEN
        y := get_byte(s, 0) + (get_byte(s, len >> 1) << 8);
        z := len + (get_byte(s, len - 1) << 2);
        RETURN public.sparkify_mul64(public.sparkify_farm_shiftmix(public.sparkify_mul64(y, k2) # public.sparkify_mul64(z, k0)), k2);
      END IF;
      RETURN k2;
    ELSIF len <= 32 THEN
      mul := public.sparkify_add64(k2, len * 2);
      a := public.sparkify_mul64(public.sparkify_fetch64(s, 0), k1);
      b := public.sparkify_fetch64(s, 8);
      c := public.sparkify_mul64(public.sparkify_fetch64(s, len - 8), mul);
      d := public.sparkify_mul64(public.sparkify_fetch64(s, len - 16), k2);
      RETURN public.sparkify_farm_hashlen16(
        public.sparkify_add64(public.sparkify_add64(public.sparkify_ror64(public.sparkify_add64(a, b), 43), public.sparkify_ror64(c, 30)), d),
        public.sparkify_add64(public.sparkify_add64(a, public.sparkify_ror64(public.sparkify_add64(b, k2), 18)), c), mul);
    ELSIF len <= 64 THEN
      mul := public.sparkify_add64(k2, len * 2);
      a := public.sparkify_mul64(public.sparkify_fetch64(s, 0), k2);
      b := public.sparkify_fetch64(s, 8);
      c := public.sparkify_mul64(public.sparkify_fetch64(s, len - 8), mul);
      d := public.sparkify_mul64(public.sparkify_fetch64(s, len - 16), k2);
      y := public.sparkify_add64(public.sparkify_add64(public.sparkify_ror64(public.sparkify_add64(a, b), 43), public.sparkify_ror64(c, 30)), d);
      z := public.sparkify_farm_hashlen16(y, public.sparkify_add64(public.sparkify_add64(a, public.sparkify_ror64(public.sparkify_add64(b, k2), 18)), c), mul);
      e := public.sparkify_mul64(public.sparkify_fetch64(s, 16), mul);
      f := public.sparkify_fetch64(s, 24);
      g := public.sparkify_mul64(public.sparkify_add64(y, public.sparkify_fetch64(s, len - 32)), mul);
      h := public.sparkify_mul64(public.sparkify_add64(z, public.sparkify_fetch64(s, len - 24)), mul);
      RETURN public.sparkify_farm_hashlen16(
        public.sparkify_add64(public.sparkify_add64(public.sparkify_ror64(public.sparkify_add64(e, f), 43), public.sparkify_ror64(g, 30)), h),
        public.sparkify_add64(public.sparkify_add64(e, public.sparkify_ror64(public.sparkify_add64(f, a), 18)), g), mul);
    END IF;
    -- Longer: 64-byte blocks, then the last 64 bytes.
    x := 81;
    y := public.sparkify_add64(public.sparkify_mul64(81, k1), 113);
    z := public.sparkify_mul64(public.sparkify_farm_shiftmix(public.sparkify_add64(public.sparkify_mul64(y, k2), 113)), k2);
    v := ARRAY[0, 0]::bigint[];
    w := ARRAY[0, 0]::bigint[];
    x := public.sparkify_add64(public.sparkify_mul64(x, k2), public.sparkify_fetch64(s, 0));
    stop := ((len - 1) / 64) * 64;
    last64 := stop + ((len - 1) & 63) - 63;
    at := 0;
    LOOP
      x := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(public.sparkify_add64(public.sparkify_add64(x, y), v[1]), public.sparkify_fetch64(s, at + 8)), 37), k1);
      y := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(public.sparkify_add64(y, v[2]), public.sparkify_fetch64(s, at + 48)), 42), k1);
      x := x # w[2];
      y := public.sparkify_add64(y, public.sparkify_add64(v[1], public.sparkify_fetch64(s, at + 40)));
      z := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(z, w[1]), 33), k1);
      v := public.sparkify_farm_weak32(s, at, public.sparkify_mul64(v[2], k1), public.sparkify_add64(x, w[1]));
      w := public.sparkify_farm_weak32(s, at + 32, public.sparkify_add64(z, w[2]), public.sparkify_add64(y, public.sparkify_fetch64(s, at + 16)));
      t := z; z := x; x := t;
      at := at + 64;
      EXIT WHEN at = stop;
    END LOOP;
    mul := public.sparkify_add64(k1, (z & 255) << 1);
    at := last64;
    w[1] := public.sparkify_add64(w[1], (len - 1) & 63);
    v[1] := public.sparkify_add64(v[1], w[1]);
    w[1] := public.sparkify_add64(w[1], v[1]);
    x := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(public.sparkify_add64(public.sparkify_add64(x, y), v[1]), public.sparkify_fetch64(s, at + 8)), 37), mul);
    y := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(public.sparkify_add64(y, v[2]), public.sparkify_fetch64(s, at + 48)), 42), mul);
    x := x # public.sparkify_mul64(w[2], 9);
    y := public.sparkify_add64(y, public.sparkify_add64(public.sparkify_mul64(v[1], 9), public.sparkify_fetch64(s, at + 40)));
    z := public.sparkify_mul64(public.sparkify_ror64(public.sparkify_add64(z, w[1]), 33), mul);
    v := public.sparkify_farm_weak32(s, at, public.sparkify_mul64(v[2], mul), public.sparkify_add64(x, w[1]));
    w := public.sparkify_farm_weak32(s, at + 32, public.sparkify_add64(z, w[2]), public.sparkify_add64(y, public.sparkify_fetch64(s, at + 16)));
    t := z; z := x; x := t;
    RETURN public.sparkify_farm_hashlen16(
      public.sparkify_add64(public.sparkify_add64(public.sparkify_farm_hashlen16(v[1], w[1], mul), public.sparkify_mul64(public.sparkify_farm_shiftmix(y), k0)), z),
      public.sparkify_add64(public.sparkify_farm_hashlen16(v[2], w[2], mul), x), mul);
  END $f$;
  CREATE OR REPLACE FUNCTION public.farmfingerprint64(v text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_farm64(convert_to(v, 'UTF8'))$f$;
  CREATE OR REPLACE FUNCTION public.farmfingerprint64(v bytea) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_farm64(v)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/SHA2.html: SHA-224, -256, -384 or -512 as
  -- lowercase hex; 0 means 256; any other bit count is NULL.
  CREATE OR REPLACE FUNCTION public.sha2(v text, bits integer) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT encode(CASE bits
      WHEN 224 THEN sha224(convert_to(v, 'UTF8'))
      WHEN 0 THEN sha256(convert_to(v, 'UTF8'))
      WHEN 256 THEN sha256(convert_to(v, 'UTF8'))
      WHEN 384 THEN sha384(convert_to(v, 'UTF8'))
      WHEN 512 THEN sha512(convert_to(v, 'UTF8'))
    END, 'hex')$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/SHA1.html (SHA and FUNC_SHA1 are synonyms): the
  -- SHA-1 digest (FIPS 180-4) of the string's bytes as 40 hex characters. PostgreSQL has no SHA-1
  -- built in; 32-bit words live in BIGINT, masked after every sum and shift.
  CREATE OR REPLACE FUNCTION public.sparkify_sha1(msg bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
  DECLARE
    m32 bigint := 4294967295;
    h bigint[] := ARRAY[1732584193, 4023233417, 2562383102, 271733878, 3285377520];
    padded bytea := msg || '\\x80'::bytea;
    w bigint[];
    a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; k bigint; t bigint;
    at int;
  BEGIN
    WHILE length(padded) % 64 <> 56 LOOP padded := padded || '\\x00'::bytea; END LOOP;
    padded := padded || int8send(length(msg)::bigint * 8);
    FOR chunk IN 0..length(padded) / 64 - 1 LOOP
      w := array_fill(0::bigint, ARRAY[80]);
      FOR i IN 0..15 LOOP
        at := chunk * 64 + i * 4;
        w[i + 1] := (get_byte(padded, at)::bigint << 24) | (get_byte(padded, at + 1) << 16) | (get_byte(padded, at + 2) << 8) | get_byte(padded, at + 3);
      END LOOP;
      FOR i IN 16..79 LOOP
        t := w[i - 2] # w[i - 7] # w[i - 13] # w[i - 15];
        w[i + 1] := ((t << 1) | (t >> 31)) & m32;
      END LOOP;
      a := h[1]; b := h[2]; c := h[3]; d := h[4]; e := h[5];
      FOR i IN 0..79 LOOP
        IF i < 20 THEN f := (b & c) | ((~b & m32) & d); k := 1518500249;
        ELSIF i < 40 THEN f := b # c # d; k := 1859775393;
        ELSIF i < 60 THEN f := (b & c) | (b & d) | (c & d); k := 2400959708;
        ELSE f := b # c # d; k := 3395469782;
        END IF;
        t := ((((a << 5) | (a >> 27)) & m32) + f + e + k + w[i + 1]) & m32;
        e := d; d := c; c := ((b << 30) | (b >> 2)) & m32; b := a; a := t;
      END LOOP;
      h := ARRAY[(h[1] + a) & m32, (h[2] + b) & m32, (h[3] + c) & m32, (h[4] + d) & m32, (h[5] + e) & m32];
    END LOOP;
    RETURN (SELECT string_agg(lpad(to_hex(x), 8, '0'), '' ORDER BY n) FROM unnest(h) WITH ORDINALITY AS u(x, n));
  END $f$;
  CREATE OR REPLACE FUNCTION public.sha1(v text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_sha1(convert_to(v, 'UTF8'))$f$;
  CREATE OR REPLACE FUNCTION public.sha(v text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_sha1(convert_to(v, 'UTF8'))$f$;
  CREATE OR REPLACE FUNCTION public.func_sha1(v text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $f$
    SELECT public.sparkify_sha1(convert_to(v, 'UTF8'))$f$;
END
$hash_functions$;
`;
