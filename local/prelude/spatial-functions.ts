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
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_GeogFromText-function.html: SRID 4326 unless the
  -- text gives one. Redshift keeps a latitude or longitude out of range as written
  -- (ST_Distance-function.html measures to POINT(-21.32 121.2)); PostGIS folds it into range
  -- (121.2 becomes 58.8), so such a geography is refused rather than silently moved.
  CREATE OR REPLACE FUNCTION sparkify_spatial.geography(g geometry) RETURNS geography
    LANGUAGE sql VOLATILE STRICT AS $f$
    SELECT CASE
      WHEN public.st_isempty(g) OR (public.st_xmin(g) >= -180 AND public.st_xmax(g) <= 180 AND public.st_ymin(g) >= -90 AND public.st_ymax(g) <= 90)
        THEN public.geography(CASE WHEN public.st_srid(g) = 0 THEN public.st_setsrid(g, 4326) ELSE g END)
      ELSE CAST(public.sparkify_not_supported('a GEOGRAPHY with a longitude outside -180..180 or a latitude outside -90..90: ' ||
        'Redshift keeps it as written, PostGIS folds it into range') AS geography)
    END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geogfromwkb(wkb bytea) RETURNS geography
    LANGUAGE sql VOLATILE STRICT AS $f$SELECT sparkify_spatial.geography(public.st_geomfromewkb(wkb))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geogfromwkb(wkb text) RETURNS geography
    LANGUAGE sql VOLATILE STRICT AS $f$SELECT sparkify_spatial.st_geogfromwkb(decode(wkb, 'hex'))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geogfromtext(wkt text) RETURNS geography
    LANGUAGE sql VOLATILE STRICT AS $f$SELECT sparkify_spatial.geography(public.st_geomfromewkt(wkt))$f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_GeomFromText-function.html: "If srid is negative, then null is returned".
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromtext(wkt text) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_geomfromtext(wkt)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_geomfromtext(wkt text, srid integer) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT CASE WHEN srid < 0 THEN NULL ELSE public.st_geomfromtext(wkt, srid) END$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/AddBBox-function.html, DropBBox-function.html,
  -- SupportsBBox-function.html: Redshift keeps a bounding box in a geometry (spatial-terminology.html:
  -- "all new geometries are created with a precomputed bounding box by default", points too), and
  -- AddBBox and DropBBox add or drop it. PostGIS keeps one in every geometry but a point, and adds or
  -- drops it on request: whether Redshift's point without one would have one cannot be told.
  CREATE OR REPLACE FUNCTION sparkify_spatial.addbbox(g geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.postgis_addbbox(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.dropbbox(g geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.postgis_dropbbox(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.supportsbbox(g geometry) RETURNS boolean
    LANGUAGE sql VOLATILE STRICT AS $f$
    SELECT CASE
      WHEN public.postgis_hasbbox(g) THEN true
      WHEN public.geometrytype(g) IN ('POINT', 'POINTM') AND NOT public.st_isempty(g) THEN CAST(public.sparkify_not_supported(
        'SupportsBBox of a point: Redshift gives a new point a bounding box, PostGIS never stores one, so the twin cannot tell one that DropBBox dropped') AS boolean)
      ELSE false
    END$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_MMax-function.html, ST_MMin-function.html: the
  -- largest and smallest m; null for an empty geometry and for one without m (2D or 3DZ).
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_mmax(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN public.st_zmflag(g) IN (1, 3) THEN (SELECT max(public.st_m(d.geom)) FROM public.st_dumppoints(g) AS d) END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_mmin(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN public.st_zmflag(g) IN (1, 3) THEN (SELECT min(public.st_m(d.geom)) FROM public.st_dumppoints(g) AS d) END$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_NPoints-function.html: a geography's points too.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_npoints(g geometry) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_npoints(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_npoints(g geography) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_npoints(g::geometry)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_npoints(g text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_npoints(g::geometry)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_MakePolygon-function.html: the second variant
  -- takes the interior rings as one MULTILINESTRING (PostGIS's, as an array), its empty
  -- linestrings disregarded; an empty exterior ring makes an empty polygon.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_makepolygon(shell geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_makepolygon(shell)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_makepolygon(shell geometry, holes geometry) RETURNS geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    IF public.geometrytype(holes) NOT IN ('MULTILINESTRING', 'MULTILINESTRINGM') THEN
      RAISE EXCEPTION 'ST_MakePolygon: the second geometry is a %, not a MULTILINESTRING', public.geometrytype(holes)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_srid(shell) <> public.st_srid(holes) THEN
      RAISE EXCEPTION 'ST_MakePolygon: the geometries have different SRIDs (% and %)', public.st_srid(shell), public.st_srid(holes)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_isempty(shell) AND public.geometrytype(shell) IN ('LINESTRING', 'LINESTRINGM') THEN
      RETURN public.st_setsrid('POLYGON EMPTY'::geometry, public.st_srid(shell));
    END IF;
    RETURN public.st_makepolygon(shell,
      ARRAY(SELECT d.geom FROM public.st_dump(holes) AS d WHERE NOT public.st_isempty(d.geom) ORDER BY d.path));
  END $f$;

  -- Geodesic lengths as Redshift measures them, which is Boost.Geometry's default for a spheroid
  -- (Andoyer-Lambert's first-order formula, P. D. Thomas, "Mathematical models for navigation
  -- systems", 1965, and a first-order series for the arc of a meridian): its pages' values to the
  -- last printed digit, ST_Length-function.html 333958.472379804 (exact: 333958.472379821),
  -- ST_Perimeter-function.html 378790.428393693 (exact: 378793.447642413), ST_Distance-function.html
  -- 13090291.8796529 for POINT(-21.32 121.2), whose latitude Redshift takes as written (PostGIS
  -- folds it to 58.8). Degrees in; a and f the spheroid's semi-major axis and flattening.
  CREATE OR REPLACE FUNCTION sparkify_spatial.meridian_arc(lat double precision, a double precision, f double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT a / (1 + f / (2 - f)) * (lat + (-1.5 * (f / (2 - f))) * sin(2 * lat))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.almost(x double precision, y double precision) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT x = y OR abs(x - y) <= 2.220446049250313e-16 * greatest(1, abs(x), abs(y))$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.geodesic(
    lon1 double precision, lat1 double precision, lon2 double precision, lat2 double precision, a double precision, f double precision
  ) RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    l1 double precision := radians(lon1);
    p1 double precision := radians(lat1);
    l2 double precision := radians(lon2);
    p2 double precision := radians(lat2);
    half_pi double precision := pi() / 2;
    dlon double precision := l2 - l1;
    lo double precision := least(p1, p2);
    hi double precision := greatest(p1, p2);
    cos_d double precision;
    d double precision;
    sin_d double precision;
    h double precision;
    g double precision;
  BEGIN
    -- A meridian: the difference of the arcs from the equator (over the pole when 180 degrees apart).
    WHILE dlon > pi() LOOP dlon := dlon - 2 * pi(); END LOOP;
    WHILE dlon <= -pi() LOOP dlon := dlon + 2 * pi(); END LOOP;
    IF sparkify_spatial.almost(dlon, 0) OR (sparkify_spatial.almost(hi, half_pi) AND sparkify_spatial.almost(lo, -half_pi)) THEN
      RETURN abs(sparkify_spatial.meridian_arc(hi, a, f) - sparkify_spatial.meridian_arc(lo, a, f));
    END IF;
    IF sparkify_spatial.almost(abs(dlon), pi()) THEN
      RETURN abs(CASE WHEN lo + hi < 0 THEN -1 ELSE 1 END * 2 * sparkify_spatial.meridian_arc(half_pi, a, f)
        - sparkify_spatial.meridian_arc(lo, a, f) - sparkify_spatial.meridian_arc(hi, a, f));
    END IF;
    cos_d := greatest(-1, least(1, sin(p1) * sin(p2) + cos(p1) * cos(p2) * cos(l2 - l1)));
    d := acos(cos_d);
    sin_d := sin(d);
    h := CASE WHEN sparkify_spatial.almost(1 - cos_d, 0) THEN 0 ELSE (d + 3 * sin_d) / (1 - cos_d) END;
    g := CASE WHEN sparkify_spatial.almost(1 + cos_d, 0) THEN 0 ELSE (d - 3 * sin_d) / (1 + cos_d) END;
    RETURN a * (d + -(f / 4) * (h * (sin(p1) - sin(p2)) ^ 2 + g * (sin(p1) + sin(p2)) ^ 2));
  END $f$;

  -- The spheroid of a geography's SRID (spatial_ref_sys, as PostGIS has it): a and f.
  CREATE OR REPLACE FUNCTION sparkify_spatial.spheroid(srid integer, OUT a double precision, OUT f double precision)
    LANGUAGE plpgsql STABLE STRICT AS $f$
  DECLARE
    m text[];
  BEGIN
    IF srid = 4326 THEN
      a := 6378137;
      f := 1 / 298.257223563::double precision;
      RETURN;
    END IF;
    m := regexp_match((SELECT s.srtext FROM public.spatial_ref_sys AS s WHERE s.srid = spheroid.srid), 'SPHEROID\\["[^"]*",([0-9.eE+-]+),([0-9.eE+-]+)');
    IF m IS NULL THEN
      RAISE EXCEPTION 'SRID % has no spheroid in spatial_ref_sys', srid USING ERRCODE = 'invalid_parameter_value';
    END IF;
    a := m[1]::double precision;
    f := CASE WHEN m[2]::double precision = 0 THEN 0 ELSE 1 / m[2]::double precision END;
  END $f$;

  -- The summed lengths of the lines in g (each in order, then line after line), measured by
  -- the spheroid of srid ('geodesic') or the sphere of radius r ('sphere').
  CREATE OR REPLACE FUNCTION sparkify_spatial.line_lengths(lines geometry, srid integer, r double precision) RETURNS double precision
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
  DECLARE
    a double precision;
    f double precision;
    line geometry;
    x double precision[];
    y double precision[];
    each double precision;
    total double precision := 0;
  BEGIN
    IF srid IS NOT NULL THEN
      SELECT s.a, s.f INTO a, f FROM sparkify_spatial.spheroid(srid) AS s;
    END IF;
    FOR line IN SELECT d.geom FROM public.st_dump(lines) AS d ORDER BY d.path LOOP
      SELECT array_agg(public.st_x(p.geom) ORDER BY p.path), array_agg(public.st_y(p.geom) ORDER BY p.path) INTO x, y
        FROM public.st_dumppoints(line) AS p;
      each := 0;
      FOR i IN 2..coalesce(array_length(x, 1), 0) LOOP
        each := each + CASE WHEN srid IS NOT NULL THEN sparkify_spatial.geodesic(x[i - 1], y[i - 1], x[i], y[i], a, f)
          ELSE sparkify_spatial.haversine(x[i - 1], y[i - 1], x[i], y[i], r) END;
      END LOOP;
      total := total + each;
    END LOOP;
    RETURN total;
  END $f$;

  -- Great-circle distance on a sphere of radius r (degrees in).
  CREATE OR REPLACE FUNCTION sparkify_spatial.haversine(
    lon1 double precision, lat1 double precision, lon2 double precision, lat2 double precision, r double precision
  ) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT r * (2 * asin(sqrt(sin((radians(lat2) - radians(lat1)) / 2) ^ 2
      + cos(radians(lat1)) * cos(radians(lat2)) * sin((radians(lon2) - radians(lon1)) / 2) ^ 2)))$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Length-function.html, ST_Perimeter-function.html:
  -- a geometry's Cartesian length and perimeter (PostGIS's); a geography's geodesic ones, of its
  -- linear and of its areal parts.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_length(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_length(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_length(g geography) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $f$
    SELECT sparkify_spatial.line_lengths(public.st_collectionextract(g::geometry, 2), public.st_srid(g), NULL)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_length(g text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_length(g::geometry)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_perimeter(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_perimeter(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_perimeter(g geography) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $f$
    SELECT sparkify_spatial.line_lengths(public.st_boundary(public.st_collectionextract(g::geometry, 3)), public.st_srid(g), NULL)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_perimeter(g text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_perimeter(g::geometry)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Distance-function.html: between geometries,
  -- PostGIS's (an error for a geometry collection); between geographies, the geodesic distance of
  -- two points ("For geographies other than points and empty points an error is returned"), null
  -- when one is empty.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_distance(g1 geometry, g2 geometry) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    IF public.geometrytype(g1) LIKE 'GEOMETRYCOLLECTION%' OR public.geometrytype(g2) LIKE 'GEOMETRYCOLLECTION%' THEN
      RAISE EXCEPTION 'ST_Distance: a GEOMETRYCOLLECTION has no distance' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN public.st_distance(g1, g2);
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_distance(g1 geography, g2 geography) RETURNS double precision
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    s record;
  BEGIN
    IF public.geometrytype(g1) <> 'POINT' OR public.geometrytype(g2) <> 'POINT' THEN
      RAISE EXCEPTION 'ST_Distance of geographies takes points, not % and %', public.geometrytype(g1), public.geometrytype(g2)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_srid(g1) <> public.st_srid(g2) THEN
      RAISE EXCEPTION 'ST_Distance: the geographies have different SRIDs (% and %)', public.st_srid(g1), public.st_srid(g2)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_isempty(g1::geometry) OR public.st_isempty(g2::geometry) THEN
      RETURN NULL;
    END IF;
    SELECT * INTO s FROM sparkify_spatial.spheroid(public.st_srid(g1));
    RETURN sparkify_spatial.geodesic(public.st_x(g1::geometry), public.st_y(g1::geometry), public.st_x(g2::geometry), public.st_y(g2::geometry), s.a, s.f);
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_distance(g1 text, g2 text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_distance(g1::geometry, g2::geometry)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Area-function.html: a geometry's Cartesian area
  -- (PostGIS's); a geography's is 0 where it has no areal part. Its geodesic area Redshift computes
  -- with a series PostGIS does not use (the page's 201824655743.383 is 201824850811.762 in PostGIS,
  -- 201824655743.383 nowhere here), so an areal geography is refused.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_area(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_area(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_area(g geography) RETURNS double precision
    LANGUAGE sql VOLATILE STRICT AS $f$
    SELECT CASE WHEN public.st_isempty(public.st_collectionextract(g::geometry, 3)) THEN 0
      ELSE CAST(public.sparkify_not_supported('ST_Area of an areal GEOGRAPHY: Redshift''s geodesic area is not PostGIS''s; ' ||
        'ST_Area(ST_Transform(g::geometry, an equal-area SRID)) is close, or run it on the cluster') AS double precision)
    END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_area(g text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_area(g::geometry)$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_LengthSphere-function.html: "the spherical model
  -- of the Earth whose radius is Earth's mean radius of the World Geodetic System (WGS) 84": 6371008.771415
  -- m, to the page's last digit (5127736.08292556; PostGIS's 6371008.7714150598 gives 5127736.0829256).
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_DistanceSphere-function.html: that sphere, or a
  -- radius given; points only, null when one is empty.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_lengthsphere(g geometry) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $f$
    SELECT sparkify_spatial.line_lengths(public.st_collectionextract(g, 2), NULL, 6371008.771415)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_distancesphere(g1 geometry, g2 geometry, radius double precision) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    IF public.geometrytype(g1) NOT LIKE 'POINT%' OR public.geometrytype(g2) NOT LIKE 'POINT%' THEN
      RAISE EXCEPTION 'ST_DistanceSphere takes points, not % and %', public.geometrytype(g1), public.geometrytype(g2)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_srid(g1) <> public.st_srid(g2) THEN
      RAISE EXCEPTION 'ST_DistanceSphere: the geometries have different SRIDs (% and %)', public.st_srid(g1), public.st_srid(g2)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF radius < 0 THEN
      RAISE EXCEPTION 'ST_DistanceSphere: the radius % is negative', radius USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_isempty(g1) OR public.st_isempty(g2) THEN
      RETURN NULL;
    END IF;
    RETURN sparkify_spatial.haversine(public.st_x(g1), public.st_y(g1), public.st_x(g2), public.st_y(g2), radius);
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_distancesphere(g1 geometry, g2 geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_distancesphere(g1, g2, 6371008.771415)$f$;

  -- Redshift writes a polygon it computes clockwise from its lowest point (x, then y): ST_Buffer-function.html
  -- (POLYGON((1 4,1.26794919243112 5,...)) for a point's buffer of three segments a quarter),
  -- ST_Intersection-function.html (POLYGON((0 0,0 10,5 5,0 0))), ST_Union-function.html; GEOS
  -- starts where its overlay ends. A polygon's rings are turned and started so (ST_Normalize).
  CREATE OR REPLACE FUNCTION sparkify_spatial.clockwise(g geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN public.geometrytype(g) = 'POLYGON' THEN public.st_normalize(g) ELSE g END$f$;
  -- The overlays' documented refusals: "If geom1 or geom2 is a geometry collection [for ST_Union also:
  -- linestring, or multilinestring], then an error is returned. If geom1 or geom2 is not a
  -- two-dimensional (2D) geometry, then an error is returned."
  CREATE OR REPLACE FUNCTION sparkify_spatial.overlay_input(fn text, g geometry, lines boolean) RETURNS void
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    IF public.geometrytype(g) LIKE 'GEOMETRYCOLLECTION%' OR (NOT lines AND public.geometrytype(g) ~ '^(MULTI)?LINESTRING') THEN
      RAISE EXCEPTION '%: a % is not an input of %', fn, public.geometrytype(g), fn USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF public.st_zmflag(g) <> 0 THEN
      RAISE EXCEPTION '%: the geometry is not two-dimensional', fn USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END $f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Union-function.html. "If geom1 or geom2 are empty,
  -- then an empty geometry is returned", of a type the page does not give: refused. A vertex that GEOS's
  -- noding leaves on a straight edge is not in Redshift's answer (the page's union of two triangles
  -- has no (0 10) on its edge from (0 0) to (0 200)): ST_Simplify with tolerance 0 drops only those.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_union(g1 geometry, g2 geometry) RETURNS geometry
    LANGUAGE plpgsql VOLATILE STRICT AS $f$
  BEGIN
    PERFORM sparkify_spatial.overlay_input('ST_Union', g1, false), sparkify_spatial.overlay_input('ST_Union', g2, false);
    IF public.st_isempty(g1) OR public.st_isempty(g2) THEN
      PERFORM public.sparkify_not_supported('ST_Union of an empty geometry: Redshift returns an empty geometry of a type its page does not give');
    END IF;
    RETURN sparkify_spatial.clockwise(public.st_simplify(public.st_union(g1, g2), 0));
  END $f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Intersection-function.html
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_intersection(g1 geometry, g2 geometry) RETURNS geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    PERFORM sparkify_spatial.overlay_input('ST_Intersection', g1, true), sparkify_spatial.overlay_input('ST_Intersection', g2, true);
    RETURN sparkify_spatial.clockwise(public.st_intersection(g1, g2));
  END $f$;
  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Buffer-function.html: 8 segments a quarter circle
  -- unless given ("Negative values default to zero"), in the plane; not of a GEOMETRYCOLLECTION.
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_buffer(g geometry, distance double precision, segments integer) RETURNS geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  BEGIN
    IF public.geometrytype(g) LIKE 'GEOMETRYCOLLECTION%' THEN
      RAISE EXCEPTION 'ST_Buffer: a GEOMETRYCOLLECTION has no buffer' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN sparkify_spatial.clockwise(public.st_buffer(public.st_force2d(g), distance, greatest(segments, 0)));
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_buffer(g geometry, distance double precision) RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT sparkify_spatial.st_buffer(g, distance, 8)$f$;
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
  'st_geogfromtext',
  'st_geomfromtext',
  'addbbox',
  'dropbbox',
  'supportsbbox',
  'st_mmax',
  'st_mmin',
  'st_npoints',
  'st_makepolygon',
  'st_length',
  'st_perimeter',
  'st_distance',
  'st_area',
  'st_lengthsphere',
  'st_distancesphere',
  'st_union',
  'st_intersection',
  'st_buffer',
]);
