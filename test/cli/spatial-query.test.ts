import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPATIAL_MARKER } from '../../local/engine';
import { runCli } from '../support/cli';

// Issue 20: an analyst's spatial query on the loaded warehouse. The artists table has each artist's
// latitude and longitude, so the distance from a place is ST_DistanceSphere of two ST_Points
// (https://docs.aws.amazon.com/redshift/latest/dg/ST_DistanceSphere-function.html).
let workDir: string;
let db: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-spatial-cli-'));
  db = path.join(workDir, 'db');
  expect((await runCli('load', '--db', db, '--no-queries')).code).toBe(0);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Great-circle distance in metres on the sphere of WGS 84's mean radius (ST_DistanceSphere-function.html). */
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371008.771415 * Math.asin(Math.sqrt(h));
}

describe('sparkify query with spatial SQL on the loaded warehouse', () => {
  const nearest =
    'SELECT artist_id, latitude, longitude, ST_DistanceSphere(ST_Point(longitude, latitude), ST_Point(-0.1276, 51.5072)) AS metres ' +
    'FROM artists WHERE latitude IS NOT NULL ORDER BY metres, artist_id LIMIT 3';

  it('installs PostGIS in the warehouse once, then answers as the analyst', async () => {
    const first = await runCli('query', nearest, '--db', db, '--json');
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain('installing the spatial engine (PostGIS) in this warehouse, once');
    await access(path.join(db, SPATIAL_MARKER));
    const rows = JSON.parse(first.out) as { latitude: number; longitude: number; metres: number }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const expected = haversine(row.longitude, row.latitude, -0.1276, 51.5072);
      expect(Math.abs(row.metres - expected)).toBeLessThanOrEqual(expected * 1e-12);
    }
    const again = await runCli('query', nearest, '--db', db, '--json');
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain('installing');
    expect(again.out).toBe(first.out);
  });

  it('still runs a query that is not spatial, and reloads with PostGIS installed', async () => {
    expect((await runCli('query', 'SELECT COUNT(*) AS n FROM artists', '--db', db)).code).toBe(0);
    expect((await runCli('load', '--db', db, '--no-queries')).code).toBe(0);
    const after = await runCli('query', 'SELECT ST_AsText(ST_Point(1.5, 2)) AS wkt', '--db', db, '--json');
    expect(after.code, after.err).toBe(0);
    expect(JSON.parse(after.out)).toEqual([{ wkt: 'POINT(1.5 2)' }]);
  });
});
