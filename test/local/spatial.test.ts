import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { clonePgliteFolder, openEngine, SPATIAL_MARKER } from '../../local/engine';
import { checkRedshiftSql, loadRedshiftGate } from '../../local/redshift-gate/gate';
import { formatRefusal } from '../../local/redshift-gate/refusal';
import { usesSpatial } from '../../local/redshift-gate/spatial';
import { installSpatial, postgisPackage, requireSpatial } from '../../local/spatial';
import { twinStatement } from '../../local/twin-statement';
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
});
