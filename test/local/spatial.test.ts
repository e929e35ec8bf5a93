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
