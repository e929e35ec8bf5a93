import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { clonePgliteFolder, openEngine, SPATIAL_MARKER } from '../../local/engine';
import { NOT_RUN_OFFLINE, SPATIAL_FUNCTIONS } from '../../local/redshift-gate/functions';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal } from '../../local/redshift-gate/refusal';
import { usesSpatial } from '../../local/redshift-gate/spatial';
import { installSpatial, postgisPackage, requireSpatial } from '../../local/spatial';
import { twinStatement } from '../../local/twin-statement';
import { readCases } from '../../tools/conformance/cases';
import { significant } from '../../tools/conformance/render';
import { openTestEngine, type TestEngine } from '../support/engine';

/**
 * Issue 20: Redshift's spatial SQL (https://docs.aws.amazon.com/redshift/latest/dg/geospatial-functions.html)
 * runs offline on PostGIS, loaded only for SQL that needs it.
 */
beforeAll(async () => loadRedshiftGate());

describe('which SQL needs PostGIS', () => {
  it.each([
    'SELECT ST_Point(1, 2)',
    'select st_astext(g) from t',
    'SELECT AddBBox(g) FROM t',
    'CREATE TABLE shapes (id INT, shape GEOMETRY)',
    'SELECT NULL::geography',
    'CREATE PROCEDURE p() AS $$ BEGIN PERFORM ST_Point(1, 2); END $$ LANGUAGE plpgsql',
  ])('%s', (sql) => expect(usesSpatial(sql)).toBe(true));

  it.each([
    'SELECT 1',
    "SELECT 'ST_Point(1, 2)'",
    'SELECT "st_point" FROM t',
    '-- ST_Point(1, 2)\nSELECT 1',
    'SELECT st_point FROM t',
    "SELECT 'unterminated",
  ])('not %s', (sql) => expect(usesSpatial(sql)).toBe(false));
});

describe('the gate', () => {
  const refusals = (sql: string) => checkRedshiftSql(sql, 'q.sql').map(formatRefusal);

  it('accepts the spatial functions and types Redshift documents', () => {
    expect(refusals('SELECT ST_DistanceSphere(ST_Point(longitude, latitude), ST_Point(-0.12, 51.5)) FROM artists')).toEqual([]);
    expect(refusals('CREATE TABLE shapes (id INTEGER, shape GEOMETRY, place GEOGRAPHY)')).toEqual([]);
    expect(refusals('SELECT ST_Collect(g) WITHIN GROUP (ORDER BY id) FROM shapes')).toEqual([]);
  });

  it('refuses a PostGIS function Redshift does not document, as it refuses any other', () => {
    expect(refusals('SELECT ST_Snap(g, g, 1) FROM shapes')).toEqual(['q.sql:1:8: the function ST_SNAP() is not Redshift SQL']);
  });
});

describe('PostGIS on PGlite, loaded for spatial SQL only', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sparkify-spatial-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('is installed once when spatial SQL needs it, and loaded from then on', async () => {
    const db = path.join(dir, 'db');
    await clonePgliteFolder(inject('pgliteTemplate'), db);
    const plain = await openEngine(db);
    try {
      await expect(twinStatement(plain, 'SELECT ST_Point(1, 2)')).rejects.toThrow(
        /^PostGIS is not loaded in the PGlite engine at .*: open it with openEngine\(dir, \{ spatial: true \}\)/,
      );
    } finally {
      await plain.close();
    }
    const notices: string[] = [];
    const first = await openEngine(db, { spatial: true });
    try {
      await installSpatial(first, (line) => notices.push(line));
    } finally {
      await first.close();
    }
    expect(notices).toEqual(['installing the spatial engine (PostGIS) in this warehouse, once']);
    await access(path.join(db, SPATIAL_MARKER));
    // The marker loads PostGIS whatever the SQL; installing again says nothing.
    const again = await openEngine(db);
    try {
      await installSpatial(again, (line) => notices.push(line));
      await requireSpatial(again);
      const { rows } = await again.queryArrays(await twinStatement(again, 'SELECT ST_AsText(ST_Point(1, 2))'));
      expect(rows).toEqual([['POINT(1 2)']]);
    } finally {
      await again.close();
    }
    expect(notices).toHaveLength(1);
  });

  it('names the package a server needs', () => {
    expect(postgisPackage(15)).toBe('postgresql-15-postgis-3');
  });
});

describe("Redshift's spatial answers on PostGIS", () => {
  let db: TestEngine;
  beforeAll(async () => {
    db = await openTestEngine({ spatial: true });
  });
  afterAll(async () => db.dispose());

  /** The first row of a Redshift query, as the twin runs it (gate aside). */
  const row = async (sql: string): Promise<unknown[]> => (await db.engine.queryArrays(await twinStatement(db.engine, sql))).rows[0] ?? [];
  const LINE = "ST_GeomFromText('LINESTRING(3.141592653589793 -6.283185307179586,2.718281828459045 -1.414213562373095)', 4326)";

  it('prints coordinates with 15 significant digits, or the precision given, as %g does (ST_AsText, ST_AsEWKT, ST_AsGeoJSON pages)', async () => {
    expect(await row(`SELECT ST_AsText(${LINE}), ST_AsText(${LINE}, 6), ST_AsEWKT(${LINE}, 17)`)).toEqual([
      'LINESTRING(3.14159265358979 -6.28318530717959,2.71828182845905 -1.41421356237309)',
      'LINESTRING(3.14159 -6.28319,2.71828 -1.41421)',
      'SRID=4326;LINESTRING(3.1415926535897931 -6.2831853071795862,2.7182818284590451 -1.4142135623730949)',
    ]);
    expect(await row(`SELECT ST_AsGeoJSON(${LINE}, 6), ST_AsText(ST_Point(1e20, 0.1), 20), ST_AsText(ST_Point(0.00001, -0.5))`)).toEqual([
      '{"type":"LineString","coordinates":[[3.14159,-6.28319],[2.71828,-1.41421]]}',
      'POINT(1e+20 0.10000000000000000555)',
      'POINT(1e-05 -0.5)',
    ]);
  });

  it('writes Z, M and ZM after the type, each point of a MULTIPOINT in parentheses, and SRID=n; when it is not 0', async () => {
    expect(
      await row(
        "SELECT ST_AsEWKT(ST_MakePoint(1, 2, 3)), ST_AsEWKT(ST_Force3DM(ST_GeomFromText('MULTIPOINT Z(0 1 2, EMPTY, 2 3 4)'))), " +
          "ST_AsEWKT(ST_GeogFromText('MULTIPOINT(1 2,3 4)')), ST_AsText(ST_GeomFromText('POINT ZM (1 2 3 4)', 3857))",
      ),
    ).toEqual(['POINT Z (1 2 3)', 'MULTIPOINT M ((0 1 0),EMPTY,(2 3 0))', 'SRID=4326;MULTIPOINT((1 2),(3 4))', 'POINT ZM (1 2 3 4)']);
  });

  it('gives WKB and EWKB in hexadecimal, the OGC type codes in ST_AsEWKB and PostGIS’s in ST_AsHexEWKB (their pages)', async () => {
    const point = "ST_GeomFromText('POINT Z (1 2 3)', 4326)";
    const [ewkb, hexEwkb, hexWkb] = await row(`SELECT ST_AsEWKB(${point}), ST_AsHexEWKB(${point}), ST_AsHexWKB(${point})`);
    expect(ewkb).toBe('01e9030020e6100000000000000000f03f00000000000000400000000000000840');
    expect(hexEwkb).toBe('01010000A0E6100000000000000000F03F00000000000000400000000000000840');
    expect(hexWkb).toBe('01E9030000000000000000F03F00000000000000400000000000000840');
  });

  it('reads WKB given as hexadecimal text, a string where a GEOMETRY goes, and a negative SRID as null', async () => {
    const hex = '0101000000000000000000F03F0000000000000040';
    expect(
      await row(
        `SELECT ST_AsText(ST_GeomFromWKB('${hex}')), ST_AsEWKT(ST_GeomFromWKB('${hex}', 4326)), ST_GeomFromWKB('${hex}', -1) IS NULL, ` +
          `ST_GeomFromText('POINT(1 2)', -4326) IS NULL, ST_AsText('${hex}'), ST_AsEWKT(ST_GeogFromWKB('${hex}'))`,
      ),
    ).toEqual(['POINT(1 2)', 'SRID=4326;POINT(1 2)', true, true, 'POINT(1 2)', 'SRID=4326;POINT(1 2)']);
  });

  it('prints a GEOMETRY column as its hexadecimal EWKB (ST_GeomFromText-function.html)', async () => {
    expect(await row("SELECT ST_GeomFromText('POLYGON((0 0,0 1,1 1,1 0,0 0))', 4326)")).toEqual([
      '0103000020E61000000100000005000000000000000000000000000000000000000000000000000000000000000000F03F000000000000F03F000000000000F03F000000000000F03F000000000000000000000000000000000000000000000000',
    ]);
  });
  /** The message a query fails with. */
  const failure = async (sql: string): Promise<string> =>
    db.engine.queryArrays(await twinStatement(db.engine, sql)).then(
      () => 'no error',
      (error: unknown) => (error as Error).message,
    );
  /** A DOUBLE PRECISION as Redshift prints it (15 significant digits). */
  const printed = async (sql: string): Promise<string[]> => (await row(sql)).map((value) => significant(Number(value), 15));

  it('keeps, drops and reports a bounding box (AddBBox, DropBBox, SupportsBBox pages), refusing a point that cannot tell', async () => {
    const polygon = "ST_GeomFromText('POLYGON((0 0,1 0,0 1,0 0))')";
    expect(
      await row(`SELECT SupportsBBox(AddBBox(${polygon})), SupportsBBox(DropBBox(${polygon})), ST_AsText(DropBBox(${polygon}))`),
    ).toEqual([true, false, 'POLYGON((0 0,1 0,0 1,0 0))']);
    expect(await row('SELECT SupportsBBox(AddBBox(ST_Point(1, 2)))')).toEqual([true]);
    expect(await failure('SELECT SupportsBBox(ST_Point(1, 2))')).toMatch(/^not supported offline: SupportsBBox of a point/);
  });

  it('gives m extremes, null without m (ST_MMax, ST_MMin pages), and counts a geography’s points (ST_NPoints)', async () => {
    expect(
      await row(
        "SELECT ST_MMax(ST_GeomFromEWKT('LINESTRING ZM (0 1 2 3, 4 5 6 7, 8 9 10 11)')), ST_MMin(ST_GeomFromEWKT('LINESTRING M (0 1 2, 3 4 5, 6 7 8)')), " +
          "ST_MMax(ST_GeomFromEWKT('LINESTRING Z (0 1 2, 3 4 5)')), ST_NPoints(ST_GeogFromText('LINESTRING(110 40, 2 3, -10 80, -7 9)'))",
      ),
    ).toEqual([11, 2, null, 4]);
  });

  it('makes a polygon from a ring and a MULTILINESTRING of holes (ST_MakePolygon-function.html)', async () => {
    expect(
      await row(
        "SELECT ST_AsEWKT(ST_MakePolygon(ST_GeomFromText('LINESTRING(0 0,10 0,10 10,0 10,0 0)'), ST_GeomFromText('MULTILINESTRING((1 1,1 2,2 1,1 1),EMPTY,(3 3,3 4,4 3,3 3))')))",
      ),
    ).toEqual(['POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,1 2,2 1,1 1),(3 3,3 4,4 3,3 3))']);
    expect(
      await failure(
        "SELECT ST_MakePolygon(ST_GeomFromText('LINESTRING(0 0,1 0,0 1,0 0)'), ST_GeomFromText('LINESTRING(0 0,1 0,0 1,0 0)'))",
      ),
    ).toMatch(/not a MULTILINESTRING/);
  });

  it('measures a geography on its spheroid as Redshift does, to the pages’ last digit (ST_Length, ST_Perimeter)', async () => {
    expect(
      await printed(
        "SELECT ST_Length(ST_GeogFromText('SRID=4326;LINESTRING(5 0,6 0,4 0)')), ST_Perimeter(ST_GeogFromText('SRID=4326;POLYGON((0 0,1 0,0 1,0 0))')), " +
          "ST_Length(ST_GeogFromText('SRID=4326;POINT(4 5)')), ST_Perimeter(ST_GeogFromText('SRID=4326;LINESTRING(5 0,10 0)'))",
      ),
    ).toEqual(['333958.472379804', '378790.428393693', '0', '0']);
    // Along a meridian, the first-order arc from the equator: a / (1 + n) * (lat - 1.5 n sin 2 lat), n = f / (2 - f).
    const n = 1 / 298.257223563 / (2 - 1 / 298.257223563);
    const arc = (lat: number) => (6378137 / (1 + n)) * ((lat * Math.PI) / 180 - 1.5 * n * Math.sin((2 * lat * Math.PI) / 180));
    expect(await printed("SELECT ST_Distance(ST_GeogFromText('POINT(3 -20)'), ST_GeogFromText('POINT(3 45)'))")).toEqual([
      significant(arc(45) - arc(-20), 15),
    ]);
  });

  it('measures a geography’s area as Redshift does, to the page’s last digit (ST_Area-function.html)', async () => {
    const shell = "ST_GeogFromText('polygon((34 35, 28 30, 25 34, 34 35))')";
    expect(await printed(`SELECT ST_Area(${shell})`)).toEqual(['201824655743.383']);
    expect(
      await row("SELECT ST_Area(ST_GeogFromText('LINESTRING(0 0, 1 1)')), ST_Area(ST_GeomFromText('POLYGON((0 0,10 0,0 10,0 0))'))"),
    ).toEqual([0, 50]);
    // A hole (counter-clockwise, against the clockwise shell) subtracts; a collection sums its areal parts.
    const [whole, holed, hole, parts] = (await row(
      `SELECT ST_Area(${shell}), ST_Area(ST_GeogFromText('polygon((34 35, 28 30, 25 34, 34 35), (29 32, 29 31, 30 32, 29 32))')), ` +
        "ST_Area(ST_GeogFromText('polygon((29 32, 29 31, 30 32, 29 32))')), " +
        "ST_Area(ST_GeogFromText('GEOMETRYCOLLECTION(POLYGON((34 35, 28 30, 25 34, 34 35)), POINT(0 0), MULTIPOLYGON(((29 32, 29 31, 30 32, 29 32))))'))",
    )) as number[];
    expect(holed).toBeCloseTo((whole ?? 0) - (hole ?? 0), 2);
    expect(parts).toBeCloseTo((whole ?? 0) + (hole ?? 0), 2);
  });

  it('rounds the geodesic trigonometry to the nearest double, as glibc does and PGlite’s libm does not always', async () => {
    const { rows } = await db.engine.queryArrays(
      'SELECT sparkify_spatial.cr_sin(-1.786434401839763), sparkify_spatial.cr_cos(-0.4246676245607306), ' +
        'sparkify_spatial.cr_tan(-0.6131253617802175), sparkify_spatial.cr_atan(2.458834094068589), ' +
        'sparkify_spatial.cr_acos(-0.09623852581531755), sparkify_spatial.cr_atan2(-0.4246676245607306, 0.04758869241228947)',
    );
    // Each the correctly rounded value (a 300-bit computation rounded once).
    expect(rows[0]).toEqual([
      -0.9768400636632526, 0.9111757279296746, -0.7035811237622195, 1.1845301959713586, 1.6671840330700298, -1.459200866886982,
    ]);
  });

  it('refuses what PostGIS would answer otherwise: a latitude out of range', async () => {
    expect(await failure("SELECT ST_Distance(ST_GeogFromText('point(1 1)'), ST_GeogFromText('point( -21.32 121.2)'))")).toMatch(
      /^not supported offline: a GEOGRAPHY with a longitude outside -180\.\.180 or a latitude outside -90\.\.90/,
    );
    expect(await failure("SELECT ST_Distance(ST_GeogFromText('LINESTRING(0 0, 1 1)'), ST_GeogFromText('POINT(1 1)'))")).toMatch(
      /takes points/,
    );
  });

  it('measures on the sphere of WGS 84’s mean radius, 6371008.771415 m (ST_LengthSphere, ST_DistanceSphere)', async () => {
    expect(
      await printed(
        "SELECT ST_LengthSphere(ST_GeomFromText('LINESTRING(10 10,45 45)')), ST_DistanceSphere(ST_Point(10, 10), ST_Point(45, 45))",
      ),
    ).toEqual(['5127736.08292556', '5127736.08292556']);
    expect(
      await printed(
        "SELECT ST_DistanceSphere(ST_Point(0, 0), ST_Point(0, 90), 1), ST_LengthSphere(ST_GeomFromText('POLYGON((0 0,1 0,0 1,0 0))'))",
      ),
    ).toEqual([significant(Math.PI / 2, 15), '0']);
    expect(await failure("SELECT ST_DistanceSphere(ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_Point(0, 0))")).toMatch(/takes points/);
  });

  it('writes a computed polygon clockwise from its lowest point, and refuses the inputs the overlays’ pages refuse', async () => {
    expect(await row("SELECT ST_AsEWKT(ST_Buffer(ST_GeomFromText('POINT(3 4)'), 2, 3))")).toEqual([
      'POLYGON((1 4,1.26794919243112 5,2 5.73205080756888,3 6,4 5.73205080756888,4.73205080756888 5,5 4,4.73205080756888 3,4 2.26794919243112,3 2,2 2.26794919243112,1.26794919243112 3,1 4))',
    ]);
    expect(
      await row(
        "SELECT ST_AsEWKT(ST_Intersection(ST_GeomFromText('polygon((0 0,100 100,0 200,0 0))'), ST_GeomFromText('polygon((0 10,10 0,0 0,0 10))')))",
      ),
    ).toEqual(['POLYGON((0 0,0 10,5 5,0 0))']);
    expect(await failure("SELECT ST_Union(ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_Point(1, 1))")).toMatch(
      /a LINESTRING is not an input of ST_Union/,
    );
    expect(await failure("SELECT ST_Intersection(ST_GeomFromText('POINT Z (0 0 1)'), ST_Point(1, 1))")).toMatch(/not two-dimensional/);
  });

  it('rounds a DOUBLE PRECISION to a DOUBLE PRECISION (r_ROUND.html)', async () => {
    const { rows, fields } = await db.engine.queryArrays(await twinStatement(db.engine, 'SELECT ROUND(299.4567::float8, 2)'));
    expect(rows).toEqual([[299.46]]);
    expect(fields[0]?.dataTypeID).toBe(701);
  });

  it('walks every spatial function: a page example in the conformance suite, a probe here, or an honest refusal', async () => {
    const pages = new Set(readCases().cases.map((c) => c.page.replace(/-function$/, '').toLowerCase()));
    // Pages whose examples the suite does not extract (their results have no psql header), and aliases.
    const probes: Readonly<Record<string, readonly [string, unknown]>> = {
      st_buffer: ["SELECT ST_AsEWKT(ST_Buffer(ST_GeomFromText('POINT(3 4)'), 2, 3)) LIKE 'POLYGON((1 4,1.26794919243112 5,%'", true],
      st_force3d: ["SELECT ST_AsEWKT(ST_Force3D(ST_GeomFromText('POINT M (1 2 3)')))", 'POINT Z (1 2 0)'],
      st_length2d: ["SELECT ST_Length2D(ST_GeomFromText('LINESTRING(0 0,3 4)'))", 5],
      st_perimeter2d: ["SELECT ST_Perimeter2D(ST_GeomFromText('POLYGON((0 0,3 0,3 4,0 0))'))", 12],
    };
    for (const name of [...SPATIAL_FUNCTIONS].sort()) {
      if (NOT_RUN_OFFLINE.has(name)) {
        expect(checkRedshiftSql(`SELECT ${name}(g) FROM t`, 'q.sql').map(formatRefusal).join(''), name).toMatch(
          /is Redshift SQL that the offline twin does not run/,
        );
        continue;
      }
      if (pages.has(name)) continue;
      const probe = probes[name];
      expect(probe, `${name}: no page example and no probe`).toBeDefined();
      if (probe) expect(await row(probe[0]), name).toEqual([probe[1]]);
    }
  });
});
