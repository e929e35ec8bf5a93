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

  -- Correctly rounded sin, cos, tan, atan, atan2, acos and atanh, for the geodesic area below: the
  -- area sums differences of azimuths times c^2 = 4.06e13 m^2, so an azimuth one ulp off moves a
  -- continent's area by 0.0045 m^2, its 15th printed digit. glibc's functions, which Redshift's
  -- figures follow, round to nearest in practice; PGlite's (musl's, in WebAssembly) are within an ulp
  -- but not always nearest: its atan2 alone turns ST_Area-function.html's 201824655743.383 into
  -- 201824655743.378. These compute in NUMERIC to 60 decimals from the double's exact value and round
  -- once to the nearest double, so a server and PGlite agree; about a millisecond a call.
  CREATE OR REPLACE FUNCTION sparkify_spatial.float8_exact(x double precision) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    bits bigint := ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint;
    e integer := ((bits >> 52) & 2047)::integer;
    m numeric := (bits & 4503599627370495)::numeric;
    v numeric;
  BEGIN
    IF e = 0 THEN e := 1; ELSE m := m + 4503599627370496; END IF;
    e := e - 1075;
    v := CASE WHEN e >= 0 THEN m * power(2::numeric, e) ELSE round(m * power(5::numeric, -e) * ('1e' || e)::numeric, 60) END;
    RETURN CASE WHEN bits < 0 THEN -v ELSE v END;
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.num_pi() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT 3.141592653589793238462643383279502884197169399375105820974944592307816406286::numeric$f$;
  -- sin or cos (cosine true) of x, |x| < 1e6.
  CREATE OR REPLACE FUNCTION sparkify_spatial.num_sin(x numeric, cosine boolean) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    half_pi numeric := sparkify_spatial.num_pi() / 2;
    q numeric := round(x / half_pi);
    r numeric := round(x - q * half_pi, 60);
    quadrant integer := ((q::bigint + CASE WHEN cosine THEN 1 ELSE 0 END) % 4 + 4) % 4;
    r2 numeric := round(r * r, 60);
    term numeric;
    total numeric;
    k integer := 1;
  BEGIN
    -- sin(r) in quadrants 0 and 2, cos(r) in 1 and 3.
    IF quadrant IN (0, 2) THEN
      term := r;
      total := r;
      LOOP
        term := -round(term * r2, 60) / ((2 * k) * (2 * k + 1));
        total := total + term;
        EXIT WHEN abs(term) < 1e-58;
        k := k + 1;
      END LOOP;
    ELSE
      term := 1;
      total := 1;
      LOOP
        term := -round(term * r2, 60) / ((2 * k - 1) * (2 * k));
        total := total + term;
        EXIT WHEN abs(term) < 1e-58;
        k := k + 1;
      END LOOP;
    END IF;
    RETURN CASE WHEN quadrant >= 2 THEN -total ELSE total END;
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.num_atan(x numeric) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    v numeric := abs(x);
    invert boolean := v > 1;
    halvings integer := 0;
    v2 numeric;
    p numeric;
    total numeric;
    k integer := 1;
  BEGIN
    IF v = 0 THEN
      RETURN 0;
    END IF;
    IF invert THEN v := round(1 / v, 60); END IF;
    -- atan(v) = 2 atan(v / (1 + sqrt(1 + v^2))), down to v < 0.1.
    WHILE v > 0.1 LOOP
      v := round(v / (1 + sqrt(round(1 + v * v, 60))), 60);
      halvings := halvings + 1;
    END LOOP;
    v2 := round(v * v, 60);
    p := v;
    total := v;
    LOOP
      p := -round(p * v2, 60);
      total := total + round(p / (2 * k + 1), 60);
      EXIT WHEN abs(p) < 1e-58;
      k := k + 1;
    END LOOP;
    total := total * power(2::numeric, halvings);
    IF invert THEN total := sparkify_spatial.num_pi() / 2 - total; END IF;
    RETURN CASE WHEN x < 0 THEN -total ELSE total END;
  END $f$;
  -- To the nearest double (numeric's text, read by strtod).
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_sin(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') OR abs(x) >= 1e6 THEN sin(x) WHEN abs(x) < 1e-8 THEN x
      ELSE sparkify_spatial.num_sin(sparkify_spatial.float8_exact(x), false)::double precision END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_cos(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') OR abs(x) >= 1e6 THEN cos(x) WHEN abs(x) < 1e-8 THEN 1
      ELSE sparkify_spatial.num_sin(sparkify_spatial.float8_exact(x), true)::double precision END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_tan(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') OR abs(x) >= 1e6 THEN tan(x) WHEN abs(x) < 1e-8 THEN x
      ELSE (SELECT (round(sparkify_spatial.num_sin(v, false), 60) / sparkify_spatial.num_sin(v, true))::double precision
        FROM (SELECT sparkify_spatial.float8_exact(x) AS v) AS s) END$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_atan(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN x IN ('Infinity', '-Infinity', 'NaN') THEN atan(x) WHEN abs(x) < 1e-8 THEN x
      ELSE sparkify_spatial.num_atan(sparkify_spatial.float8_exact(x))::double precision END$f$;
  -- C's atan2: the angle of (x, y) in [-pi, pi], the signs of zeros kept.
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_atan2(y double precision, x double precision) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    ny numeric;
    nx numeric;
    r numeric;
  BEGIN
    IF y = 0 OR x = 0 OR y IN ('Infinity', '-Infinity', 'NaN') OR x IN ('Infinity', '-Infinity', 'NaN') THEN
      RETURN atan2(y, x);
    END IF;
    ny := sparkify_spatial.float8_exact(y);
    nx := sparkify_spatial.float8_exact(x);
    r := sparkify_spatial.num_atan(round(ny / nx, 60));
    IF x < 0 THEN
      r := r + CASE WHEN y > 0 THEN sparkify_spatial.num_pi() ELSE -sparkify_spatial.num_pi() END;
    END IF;
    RETURN r::double precision;
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_acos(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN abs(x) >= 1 OR x = 'NaN' THEN acos(x)
      ELSE (SELECT (sparkify_spatial.num_pi() / 2 - sparkify_spatial.num_atan(round(v / sqrt(round(1 - v * v, 60)), 60)))::double precision
        FROM (SELECT sparkify_spatial.float8_exact(x) AS v) AS s) END$f$;
  -- atanh(x), |x| < 1.
  CREATE OR REPLACE FUNCTION sparkify_spatial.cr_atanh(x double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE WHEN abs(x) >= 1 OR x = 'NaN' OR abs(x) < 1e-8 THEN atanh(x)
      ELSE (SELECT (ln(round((1 + v) / (1 - v), 60)) / 2)::double precision FROM (SELECT sparkify_spatial.float8_exact(x) AS v) AS s) END$f$;

  -- https://docs.aws.amazon.com/redshift/latest/dg/ST_Area-function.html: a geometry's Cartesian area
  -- (PostGIS's); a geography's geodesic area in square metres on its SRID's spheroid, 0 where it has
  -- no areal part, a collection's areal parts summed. Redshift's is Boost.Geometry's default for a
  -- spheroid, strategy::area::geographic<andoyer> at SeriesOrder default_order<andoyer> = 1, with
  -- WGS 84 as srs::spheroid<double>() has it (b = 6356752.3142451793): Boost.Geometry 1.83 compiled
  -- with glibc gives 201824655743.38272 for the page's polygon, the page's 201824655743.383; PostGIS
  -- gives 201824850811.762, series order 2 201824651853.386, WGS 84 as a(1 - f) 201824655743.360,
  -- Boost 1.75 and older (another spherical term) 201863816822.503. Ported below from boostorg/geometry
  -- at boost-1.91.0 (strategy/geographic/area.hpp, formulas/area_formulas.hpp,
  -- formulas/andoyer_inverse.hpp), bit for bit Boost's on the polygons tried (a hole, both poles, the
  -- antimeridian, a meridian through a pole, the equator). Boost's area is signed, positive for a
  -- clockwise ring (its default polygon type); a polygon's is its rings' sum (a hole turned against
  -- its shell subtracts), taken here as its absolute value: the page does not show what Redshift does
  -- with a counter-clockwise polygon (the page's, reversed, is 201824655927.645 here).
  CREATE OR REPLACE FUNCTION sparkify_spatial.boost_normalize_azimuth(azimuth double precision, a double precision, da double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE
      WHEN a >= 0 AND da >= 0 THEN CASE WHEN azimuth < 0 THEN 0 ELSE azimuth END
      WHEN a >= 0 THEN CASE WHEN azimuth > pi() THEN pi() ELSE azimuth END
      WHEN da <= 0 THEN CASE WHEN azimuth > 0 THEN 0 ELSE azimuth END
      ELSE CASE WHEN azimuth < -pi() THEN -pi() ELSE azimuth END
    END$f$;
  -- formulas/andoyer_inverse.hpp (radians in): the distance and both azimuths.
  CREATE OR REPLACE FUNCTION sparkify_spatial.andoyer_inverse(
    lon1 double precision, lat1 double precision, lon2 double precision, lat2 double precision, a double precision, f double precision,
    OUT distance double precision, OUT azimuth double precision, OUT reverse_azimuth double precision
  ) LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    dlon double precision := lon2 - lon1;
    sin_dlon double precision := sparkify_spatial.cr_sin(dlon);
    cos_dlon double precision := sparkify_spatial.cr_cos(dlon);
    sin_lat1 double precision := sparkify_spatial.cr_sin(lat1);
    cos_lat1 double precision := sparkify_spatial.cr_cos(lat1);
    sin_lat2 double precision := sparkify_spatial.cr_sin(lat2);
    cos_lat2 double precision := sparkify_spatial.cr_cos(lat2);
    cos_d double precision;
    d double precision;
    sin_d double precision;
    h double precision;
    g double precision;
    big_a double precision := 0;
    u double precision := 0;
    big_b double precision := 0;
    v double precision := 0;
    t double precision;
    da double precision;
    db double precision;
  BEGIN
    distance := 0;
    azimuth := 0;
    reverse_azimuth := 0;
    IF sparkify_spatial.almost(lon1, lon2) AND sparkify_spatial.almost(lat1, lat2) THEN
      RETURN;
    END IF;
    cos_d := greatest(-1, least(1, sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_dlon));
    d := sparkify_spatial.cr_acos(cos_d);
    sin_d := sparkify_spatial.cr_sin(d);
    h := CASE WHEN sparkify_spatial.almost(1 - cos_d, 0) THEN 0 ELSE (d + 3 * sin_d) / (1 - cos_d) END;
    g := CASE WHEN sparkify_spatial.almost(1 + cos_d, 0) THEN 0 ELSE (d - 3 * sin_d) / (1 + cos_d) END;
    distance := a * (d + -(f / 4) * (h * ((sin_lat1 - sin_lat2) * (sin_lat1 - sin_lat2)) + g * ((sin_lat1 + sin_lat2) * (sin_lat1 + sin_lat2))));
    IF sparkify_spatial.almost(sin_d, 0) THEN
      IF cos_d >= 0 THEN
        RETURN;
      ELSIF NOT sparkify_spatial.almost(sin_lat1, 1) THEN
        reverse_azimuth := pi();
      ELSE
        azimuth := pi();
      END IF;
      RETURN;
    END IF;
    IF sparkify_spatial.almost(cos_lat2, 0) THEN
      IF sin_lat2 < 0 THEN big_a := pi(); END IF;
    ELSE
      big_a := sparkify_spatial.cr_atan2(sin_dlon, cos_lat1 * (sin_lat2 / cos_lat2) - sin_lat1 * cos_dlon);
      u := (f / 2) * (cos_lat1 * cos_lat1) * sparkify_spatial.cr_sin(2 * big_a);
    END IF;
    IF sparkify_spatial.almost(cos_lat1, 0) THEN
      IF sin_lat1 < 0 THEN big_b := pi(); END IF;
    ELSE
      big_b := sparkify_spatial.cr_atan2(sin_dlon, cos_lat2 * (sin_lat1 / cos_lat1) - sin_lat2 * cos_dlon);
      v := (f / 2) * (cos_lat2 * cos_lat2) * sparkify_spatial.cr_sin(2 * big_b);
    END IF;
    t := d / sin_d;
    da := v * t - u;
    azimuth := sparkify_spatial.boost_normalize_azimuth(big_a - da, big_a, da);
    db := -u * t + v;
    reverse_azimuth := sparkify_spatial.boost_normalize_azimuth(
      CASE WHEN big_b >= 0 THEN pi() - big_b - db ELSE -pi() - big_b - db END, big_b, db);
  END $f$;
  -- math::normalize_longitude (radians): into (-pi, pi], pi itself for either end. std::fmod is exact;
  -- so is v - 2 pi for the |v| < 4 pi an in-range difference of longitudes gives.
  CREATE OR REPLACE FUNCTION sparkify_spatial.boost_normalize_longitude(lon double precision) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    r double precision;
  BEGIN
    IF sparkify_spatial.almost(abs(lon), pi()) THEN
      RETURN pi();
    ELSIF lon > pi() THEN
      r := lon + pi();
      WHILE r >= 2 * pi() LOOP r := r - 2 * pi(); END LOOP;
      r := r - pi();
      RETURN CASE WHEN sparkify_spatial.almost(r, -pi()) THEN pi() ELSE r END;
    ELSIF lon < -pi() THEN
      r := lon - pi();
      WHILE r <= -2 * pi() LOOP r := r + 2 * pi(); END LOOP;
      RETURN r + pi();
    END IF;
    RETURN lon;
  END $f$;
  -- area_formulas::clenshaw_sum: the odd-harmonic series sum(c[l] cos((2l + 1) x)) by Clenshaw's recurrence.
  CREATE OR REPLACE FUNCTION sparkify_spatial.boost_clenshaw_sum(cosx double precision, c double precision[]) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    it integer := array_length(c, 1);
    odd boolean := true;
    ck double precision;
    bk double precision;
    bk1 double precision := 0;
    bk2 double precision := 0;
  BEGIN
    LOOP
      IF odd THEN
        it := it - 1;
        ck := c[it + 1];
      ELSE
        ck := 0;
      END IF;
      bk := ck + 2 * cosx * bk1 - bk2;
      bk2 := bk1;
      bk1 := bk;
      odd := NOT odd;
      EXIT WHEN it = 0;
    END LOOP;
    RETURN c[1] + bk1 * cosx - bk2;
  END $f$;
  -- boost::math::hypot, which area_formulas::normalize divides by.
  CREATE OR REPLACE FUNCTION sparkify_spatial.boost_hypot(x double precision, y double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE
      WHEN greatest(abs(x), abs(y)) * 2.220446049250313e-16 >= least(abs(x), abs(y)) THEN greatest(abs(x), abs(y))
      ELSE greatest(abs(x), abs(y)) * sqrt(1 + (least(abs(x), abs(y)) / greatest(abs(x), abs(y))) * (least(abs(x), abs(y)) / greatest(abs(x), abs(y))))
    END$f$;
  -- One ring's signed area (degrees in; a and b the spheroid's semi-axes): strategy::area::geographic's
  -- apply per segment and result, with area_formulas::ellipsoidal, crosses_prime_meridian and
  -- trapezoidal_formula, at series order 1.
  CREATE OR REPLACE FUNCTION sparkify_spatial.ring_area(x double precision[], y double precision[], a double precision, b double precision)
    RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  DECLARE
    pi double precision := pi();
    two_pi double precision := 2 * pi();
    half_pi double precision := pi() / 2;
    d2r double precision := pi() / 180;
    a2 double precision := a * a;
    e2 double precision := 1 - (b / a) * (b / a);
    ep double precision := sqrt(e2 / (1 - e2));
    c2 double precision;
    f double precision := (a - b) / a;
    n double precision := f / (2 - f);
    -- evaluate_coeffs_n, SeriesOrder 1.
    coeffs_n double precision[] := ARRAY[(10 - 4 * n) / 15, -1::double precision / 5, 1::double precision / 45];
    mean_radius double precision := (2 * a + b) / 3;
    excess_sum double precision := 0;
    correction_sum double precision := 0;
    crossings integer := 0;
    lon1 double precision;
    lat1 double precision;
    lon2 double precision;
    lat2 double precision;
    lon12 double precision;
    p1 double precision;
    p2 double precision;
    inv record;
    tan_bet1 double precision;
    tan_bet2 double precision;
    cos_bet1 double precision;
    cos_bet2 double precision;
    sin_bet1 double precision;
    sin_bet2 double precision;
    sin_alp0 double precision;
    cos_alp0 double precision;
    cos_sig1 double precision;
    cos_sig2 double precision;
    k2 double precision;
    s double precision;
    eps double precision;
    coeffs double precision[];
    t1 double precision;
    t2 double precision;
    spherical double precision;
    ellipsoidal double precision;
    total double precision;
    result double precision;
  BEGIN
    c2 := CASE WHEN sparkify_spatial.almost(e2, 0) THEN a2 ELSE (a2 / 2) * (1 + (1 - e2) * sparkify_spatial.cr_atanh(sqrt(e2)) / sqrt(e2)) END;
    FOR i IN 1..coalesce(array_length(x, 1), 0) - 1 LOOP
      CONTINUE WHEN sparkify_spatial.almost(x[i], x[i + 1]);
      lon1 := x[i] * d2r;
      lat1 := y[i] * d2r;
      lon2 := x[i + 1] * d2r;
      lat2 := y[i + 1] * d2r;
      lon12 := sparkify_spatial.boost_normalize_longitude(lon2 - lon1);
      IF lon12 = pi OR lon12 = -pi THEN
        crossings := crossings + 1;
      ELSE
        p1 := lon1 - floor(lon1 / two_pi) * two_pi;
        p2 := lon2 - floor(lon2 / two_pi) * two_pi;
        IF greatest(p1, p2) > pi AND least(p1, p2) < pi AND greatest(p1, p2) - least(p1, p2) > pi THEN
          crossings := crossings + 1;
        END IF;
      END IF;
      CONTINUE WHEN sparkify_spatial.almost(y[i], 0) AND sparkify_spatial.almost(y[i + 1], 0);
      SELECT * INTO inv FROM sparkify_spatial.andoyer_inverse(lon1, lat1, lon2, lat2, a, f);
      tan_bet1 := sparkify_spatial.cr_tan(lat1) * (1 - f);
      tan_bet2 := sparkify_spatial.cr_tan(lat2) * (1 - f);
      cos_bet1 := sparkify_spatial.cr_cos(sparkify_spatial.cr_atan(tan_bet1));
      cos_bet2 := sparkify_spatial.cr_cos(sparkify_spatial.cr_atan(tan_bet2));
      sin_bet1 := tan_bet1 * cos_bet1;
      sin_bet2 := tan_bet2 * cos_bet2;
      sin_alp0 := sparkify_spatial.cr_sin(inv.azimuth) * cos_bet1;
      IF lon12 = pi OR lon12 = -pi THEN
        excess_sum := excess_sum + pi;
      ELSIF lon12 <> 0 AND lat1 <> half_pi AND lat1 <> -half_pi AND lat2 <> half_pi AND lat2 <> -half_pi
        AND inv.distance < mean_radius / 638 THEN
        -- A short segment: the trapezoidal formula.
        t1 := sparkify_spatial.cr_tan(lat1 / 2);
        t2 := sparkify_spatial.cr_tan(lat2 / 2);
        excess_sum := excess_sum + 2 * sparkify_spatial.cr_atan(((t1 + t2) / (1 + t1 * t2)) * sparkify_spatial.cr_tan(lon12 / 2));
      ELSE
        excess_sum := excess_sum + (inv.reverse_azimuth - inv.azimuth);
      END IF;
      cos_alp0 := sqrt(1 - sin_alp0 * sin_alp0);
      cos_sig1 := sparkify_spatial.cr_cos(inv.azimuth) * cos_bet1;
      cos_sig2 := sparkify_spatial.cr_cos(inv.reverse_azimuth) * cos_bet2;
      -- area_formulas::normalize(sin_sig, cos_sig); only the cosines are read.
      cos_sig1 := cos_sig1 / sparkify_spatial.boost_hypot(sin_bet1, cos_sig1);
      cos_sig2 := cos_sig2 / sparkify_spatial.boost_hypot(sin_bet2, cos_sig2);
      k2 := (ep * cos_alp0) * (ep * cos_alp0);
      s := sqrt(1 + k2);
      eps := (s - 1) / (s + 1);
      -- evaluate_coeffs_var2 (Horner's method in eps), SeriesOrder 1.
      coeffs := ARRAY[1 * ((0 * eps + coeffs_n[2]) * eps + coeffs_n[1]), (eps ^ 1) * (0 * eps + coeffs_n[3])];
      correction_sum := correction_sum + cos_alp0 * sin_alp0
        * (sparkify_spatial.boost_clenshaw_sum(cos_sig2, coeffs) - sparkify_spatial.boost_clenshaw_sum(cos_sig1, coeffs));
    END LOOP;
    spherical := c2 * excess_sum;
    ellipsoidal := e2 * a2 * correction_sum;
    -- Boost drops an ellipsoidal term over 1% of the spherical one (an azimuth's inaccuracy).
    total := CASE WHEN spherical = 0 OR abs(ellipsoidal / spherical) > 0.01 THEN spherical ELSE spherical + ellipsoidal END;
    IF crossings % 2 = 1 THEN
      -- The ring encircles a pole.
      result := 2 * pi * c2 * (1 + crossings / 2) - abs(total);
      RETURN CASE WHEN total > 0 THEN -result ELSE result END;
    END IF;
    RETURN total;
  END $f$;
  -- The area of the polygons of g: each one's rings summed, as an absolute value; the polygons summed.
  CREATE OR REPLACE FUNCTION sparkify_spatial.geodesic_area(areas geometry, srid integer) RETURNS double precision
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
  DECLARE
    a double precision;
    f double precision;
    b double precision;
    part geometry;
    ring geometry;
    x double precision[];
    y double precision[];
    each double precision;
    total double precision := 0;
  BEGIN
    IF areas IS NULL OR public.st_isempty(areas) THEN
      RETURN 0;
    END IF;
    SELECT s.a, s.f INTO a, f FROM sparkify_spatial.spheroid(srid) AS s;
    -- WGS 84 as Boost's srs::spheroid<double>() gives it, by its semi-minor axis.
    b := CASE WHEN a = 6378137 AND f = 1 / 298.257223563::double precision THEN 6356752.3142451793 ELSE a * (1 - f) END;
    FOR part IN SELECT d.geom FROM public.st_dump(areas) AS d ORDER BY d.path LOOP
      each := 0;
      FOR ring IN SELECT r.geom FROM public.st_dumprings(part) AS r ORDER BY r.path LOOP
        SELECT array_agg(public.st_x(p.geom) ORDER BY p.path), array_agg(public.st_y(p.geom) ORDER BY p.path) INTO x, y
          FROM public.st_dumppoints(ring) AS p;
        each := each + sparkify_spatial.ring_area(x, y, a, b);
      END LOOP;
      total := total + abs(each);
    END LOOP;
    RETURN total;
  END $f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_area(g geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$SELECT public.st_area(g)$f$;
  CREATE OR REPLACE FUNCTION sparkify_spatial.st_area(g geography) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $f$
    SELECT sparkify_spatial.geodesic_area(public.st_collectionextract(g::geometry, 3), public.st_srid(g))$f$;
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
