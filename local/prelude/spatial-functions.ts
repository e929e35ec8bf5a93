/**
 * Redshift's spatial functions (https://docs.aws.amazon.com/redshift/latest/dg/geospatial-functions.html)
 * on PostGIS, where Redshift answers otherwise than PostGIS does. PostGIS is in public (where the
 * GEOMETRY and GEOGRAPHY types resolve as Redshift's do); these are in sparkify_spatial, and the
 * dialect bridge calls every name of SPATIAL_OVERRIDES there by schema, so an unaliased column
 * keeps the function's name (st_astext) as Redshift names it. Each such name has every signature
 * Redshift documents for it.
 *
 * Created only where PostGIS is installed (local/spatial.ts installs both, once): on any other
 * database this part of the prelude does nothing. CREATE OR REPLACE keeps it idempotent, under a
 * transaction-scoped advisory lock as the other parts are.
 */
export const SPATIAL_FUNCTIONS_SQL = `DO $spatial_functions$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'postgis') THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('sparkify spatial functions'));
  CREATE SCHEMA IF NOT EXISTS sparkify_spatial;
  GRANT USAGE ON SCHEMA sparkify_spatial TO PUBLIC;

  -- Coordinates as Redshift prints them: "the coordinates of geo are displayed using the specified
  -- precision 1–20. If precision is not specified, the default is 15" (ST_AsText-function.html,
  -- ST_AsEWKT-function.html, ST_AsGeoJSON-function.html), significant digits as C's %.{p}g
  -- (3.141592653589793 is 3.14159265358979, and 3.14159 at precision 6; -115.17281600000001 is
  -- -115.172816 on ST_GeomFromGeoHash-function.html). PostgreSQL prints a DOUBLE PRECISION so with
  -- extra_float_digits at p - 15, up to 15 digits; past 15 the value's exact binary expansion is
  -- rounded here, half to even as printf does. The SET clause keeps the setting inside the call.
  CREATE OR REPLACE FUNCTION sparkify_spatial.significant(x double precision, p integer) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET extra_float_digits = 0 AS $f$
  DECLARE
    bits bigint;
    e integer;
    m numeric;
    d text;
    head text;
    rest text;
    up boolean;
    exp10 integer;
    body text;
  BEGIN
    IF p < 1 OR p > 20 THEN
      RAISE EXCEPTION 'precision % is out of range: Redshift takes 1 to 20', p USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p <= 15 OR x = 0 OR x IN ('Infinity', '-Infinity', 'NaN') THEN
      PERFORM pg_catalog.set_config('extra_float_digits', (least(p, 15) - 15)::text, true);
      RETURN x::text;
    END IF;
    -- x = m * 2^e exactly, as the digits d times 10^(exp10 - length(d) + 1).
    bits := ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint;
    e := ((bits >> 52) & 2047)::integer;
    m := (bits & 4503599627370495)::numeric;
    IF e = 0 THEN e := 1; ELSE m := m + 4503599627370496; END IF;
    e := e - 1075;
    IF e >= 0 THEN
      d := trunc(m * power(2::numeric, e))::text;
      exp10 := length(d) - 1;
    ELSE
      d := trunc(m * power(5::numeric, -e))::text;
      exp10 := length(d) - 1 + e;
    END IF;
    head := rpad(left(d, p), p, '0');
    rest := substr(d, p + 1);
    up := rest > '5' OR (left(rest, 1) = '5' AND (ltrim(substr(rest, 2), '0') <> '' OR right(head, 1) IN ('1', '3', '5', '7', '9')));
    IF up THEN
      head := (head::numeric + 1)::text;
      IF length(head) > p THEN
        head := left(head, p);
        exp10 := exp10 + 1;
      END IF;
    END IF;
    IF exp10 < -4 OR exp10 >= p THEN
      body := rtrim(rtrim(left(head, 1) || '.' || substr(head, 2), '0'), '.')
        || 'e' || CASE WHEN exp10 < 0 THEN '-' ELSE '+' END || CASE WHEN abs(exp10) < 10 THEN '0' ELSE '' END || abs(exp10);
    ELSIF exp10 >= 0 THEN
      body := rtrim(rtrim(left(head, exp10 + 1) || '.' || substr(head, exp10 + 2), '0'), '.');
    ELSE
      body := rtrim('0.' || repeat('0', -exp10 - 1) || head, '0');
    END IF;
    RETURN CASE WHEN x < 0 THEN '-' ELSE '' END || body;
  END $f$;

  -- Every number of a WKT or GeoJSON text PostGIS wrote (at full precision), printed as above.
  CREATE OR REPLACE FUNCTION sparkify_spatial.coordinates(t text, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT coalesce(string_agg(coalesce(sparkify_spatial.significant(m[1]::double precision, p), m[2]), '' ORDER BY n), '')::varchar
    FROM regexp_matches(t, '(-?[0-9.]+(?:e[-+]?[0-9]+)?)|([^-0-9.]+)', 'g') WITH ORDINALITY AS r(m, n)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsText-function.html: WKT with Z, M or ZM
  -- after the type (POINT Z (1 2 3), ST_MakePoint-function.html) and each point of a MULTIPOINT in
  -- parentheses (MULTIPOINT((1 2),(3 4)), ST_Multi-function.html): PostGIS's ISO WKT.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_astext(g geometry, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.coordinates(public.st_astext(g, 30), p)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_astext(g geometry) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_astext(g, 15)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_astext(g geography, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_astext(g::geometry, p)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_astext(g geography) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_astext(g::geometry, 15)$f$;

  -- A string where a GEOMETRY goes is read as one (https://docs.aws.amazon.com/redshift/latest/dg/r_CAST_function.html:
  -- ST_AsText('01010000000000000000001C400000000000002040') is POINT(7 8)), as PostGIS's own text variants do.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_astext(g text) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_astext(g::geometry, 15)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsEWKT-function.html: SRID=n; before the WKT
  -- when the SRID is not 0 (a geography's is, 4326 unless given).
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkt(g geometry, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT (CASE WHEN public.st_srid(g) = 0 THEN '' ELSE 'SRID=' || public.st_srid(g) || ';' END || sparkify_spatial.st_astext(g, p))::varchar$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkt(g geometry) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asewkt(g, 15)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkt(g geography, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asewkt(g::geometry, p)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkt(g geography) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asewkt(g::geometry, 15)$f$;

  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkt(g text) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asewkt(g::geometry, 15)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsGeoJSON-function.html: x and y, and z where
  -- there is one (a 3DM geometry's m is left out), printed as above; no crs member (options 0).
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asgeojson(g geometry, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.coordinates(public.st_asgeojson(g, 30, 0), p)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asgeojson(g geometry) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asgeojson(g, 15)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asgeojson(g geography, p integer) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asgeojson(g::geometry, p)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asgeojson(g geography) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asgeojson(g::geometry, 15)$f$;

  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asgeojson(g text) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_asgeojson(g::geometry, 15)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsEWKB-function.html: "For 3DZ, 3DM, and 4D
  -- geometries, ST_AsEWKB uses the Open Geospatial Consortium (OGC) standard value for the geometry
  -- type": the ISO WKB type (1001 for POINT Z), with the SRID flag and the SRID when it is not 0
  -- (0103000020E6100000... on the page); PostGIS's EWKB flags the dimensions in the type's top bits.
  CREATE OR REPLACE FUNCTION sparkify_spatial.le32(v bigint) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT decode(substr(h, 7, 2) || substr(h, 5, 2) || substr(h, 3, 2) || substr(h, 1, 2), 'hex')
    FROM (SELECT lpad(to_hex(v & 4294967295), 8, '0') AS h) AS x$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_asewkb(g geometry) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN public.st_srid(g) = 0 THEN wkb
      ELSE '\\x01'::bytea
        || sparkify_spatial.le32(((get_byte(wkb, 4)::bigint << 24) | (get_byte(wkb, 3) << 16) | (get_byte(wkb, 2) << 8) | get_byte(wkb, 1)) | 536870912)
        || sparkify_spatial.le32(public.st_srid(g))
        || substr(wkb, 6)
      END
    FROM (SELECT public.st_asbinary(g, 'NDR') AS wkb) AS w$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsHexWKB-function.html: the WKB (ISO, as
  -- ST_AsBinary's) in hexadecimal characters 0-9 and A-F, a VARCHAR.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexwkb(g geometry) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT upper(encode(public.st_asbinary(g), 'hex'))::varchar$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexwkb(g geography) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_ashexwkb(g::geometry)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexwkb(g text) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_ashexwkb(g::geometry)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_AsHexEWKB-function.html: "uses the PostGIS
  -- extended WKB value for the geometry or geography type", so PostGIS's EWKB, in capitals.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexewkb(g geometry) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT upper(encode(public.st_asewkb(g), 'hex'))::varchar$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexewkb(g geography) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_ashexewkb(g::geometry)$f$;

  CREATE OR REPLACE FUNCTION sparkify_spatial.st_ashexewkb(g text) RETURNS varchar
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_ashexewkb(g::geometry)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_GeomFromWKB-function.html,
  -- ST_GeomFromEWKB-function.html, ST_GeogFromWKB-function.html: the WKB as a VARCHAR of
  -- hexadecimal characters ("If srid is negative, then null is returned"); PostGIS's take bytes,
  -- which a VARBYTE still is.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromwkb(wkb text) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromwkb(decode(wkb, 'hex'))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromwkb(wkb text, srid integer) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN srid < 0 THEN NULL ELSE public.st_geomfromwkb(decode(wkb, 'hex'), srid) END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromwkb(wkb bytea) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromwkb(wkb)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromwkb(wkb bytea, srid integer) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT CASE WHEN srid < 0 THEN NULL ELSE public.st_geomfromwkb(wkb, srid) END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromewkb(ewkb text) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromewkb(decode(ewkb, 'hex'))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromewkb(ewkb bytea) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromewkb(ewkb)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geogfromwkb(wkb text) RETURNS geography
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geogfromwkb(decode(wkb, 'hex'))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geogfromwkb(wkb bytea) RETURNS geography
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geogfromwkb(wkb)$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_GeomFromText-function.html: "If srid is negative, then null is returned".
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromtext(wkt text) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromtext(wkt)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromtext(wkt text, srid integer) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT CASE WHEN srid < 0 THEN NULL ELSE public.st_geomfromtext(wkt, srid) END$f$;
END $spatial_functions$;`;

/** The spatial functions sparkify_spatial defines, each with every signature Redshift documents for it. */
export const SPATIAL_OVERRIDES: ReadonlySet<string> = new Set<string>([
  'st_astext',
  'st_asewkt',
  'st_asgeojson',
  'st_asewkb',
  'st_ashexwkb',
  'st_ashexewkb',
  'st_geomfromwkb',
  'st_geomfromewkb',
  'st_geogfromwkb',
  'st_geomfromtext',
]);
