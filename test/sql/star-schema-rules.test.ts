import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { generateDataset } from '../../tools/generator/generate-dataset';
import { runOfflineLoad, type LoadReport } from '../../local/offline-executor';
import { buildLoadPlan } from '../../lib/plan/load-plan';
import { readSqlFiles } from '../../lib/plan/sql-files';
import { openTestEngine, type TestEngine } from '../support/engine';
import { readSource, type SourceEvent, type SourceSong } from '../support/source-files';

// Every rule of SPEC §3, checked on generated data against values computed here, in JS, from the
// generated files: nothing below reuses the SQL under test.
const files = readSqlFiles();
const ROLE = 'arn:aws:iam::000000000000:role/test';
let db: TestEngine;
let workDir: string;
let source: { songs: SourceSong[]; events: SourceEvent[] };
let report: LoadReport;

async function load(loadId: string): Promise<LoadReport> {
  const plan = buildLoadPlan(files, { settings: DEFAULT_CONFIG, roleArn: ROLE, loadId });
  return runOfflineLoad(db.engine, files, plan, { buckets: { [DEFAULT_CONFIG.sourceBucket]: path.join(workDir, 'bucket') } });
}

async function rows<T>(sql: string): Promise<T[]> {
  return (await db.engine.query<T>(sql)).rows;
}

beforeAll(async () => {
  db = await openTestEngine();
  workDir = await mkdtemp(path.join(tmpdir(), 'sparkify-rules-'));
  await generateDataset(path.join(workDir, 'bucket'), { seed: 7, songs: 400, users: 40, events: 4000, days: 10, matchRate: 0.5 });
  source = await readSource(path.join(workDir, 'bucket'));
  report = await load('rules-1');
});

afterAll(async () => {
  await db.dispose();
  await rm(workDir, { recursive: true, force: true });
});

const plays = () => source.events.filter((e) => e.page === 'NextSong');

/** The timestamp text the songplay id hashes: 'YYYY-MM-DD HH24:MI:SS.MS' in UTC. */
function tsText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function songplayId(e: SourceEvent): string {
  return createHash('md5').update(`${e.userId}|${e.sessionId}|${e.itemInSession}|${tsText(e.ts)}`).digest('hex');
}

function expectedMatch(e: SourceEvent): SourceSong | undefined {
  const candidates = source.songs.filter((s) => s.title === e.song && s.artist_name === e.artist);
  candidates.sort((a, b) => Math.abs(a.duration - (e.length ?? 0)) - Math.abs(b.duration - (e.length ?? 0)) || (a.song_id < b.song_id ? -1 : 1));
  return candidates[0];
}

function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  return Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
}

describe('the generated data exercises the rules', () => {
  it('has matched and unmatched plays, logged-out events, year 0 and artist variants', () => {
    const matched = plays().filter((e) => expectedMatch(e));
    expect(matched.length).toBeGreaterThan(100);
    expect(matched.length).toBeLessThan(plays().length);
    expect(source.events.some((e) => e.userId === '')).toBe(true);
    expect(source.songs.some((s) => s.year === 0)).toBe(true);
    const names = new Map<string, Set<string>>();
    for (const s of source.songs) names.set(s.artist_id, (names.get(s.artist_id) ?? new Set()).add(s.artist_name));
    expect([...names.values()].some((set) => set.size > 1)).toBe(true);
  });
});

describe('staging', () => {
  it('holds every record read', () => {
    expect(report.rows.staging_events).toBe(source.events.length);
    expect(report.rows.staging_songs).toBe(source.songs.length);
  });
});

describe('songplays', () => {
  it('has one row per NextSong event, all of them, with the event attributes', async () => {
    const got = await rows<Record<string, unknown>>(
      `SELECT songplay_id, start_time, user_id, level, session_id, location, user_agent FROM songplays`,
    );
    expect(got).toHaveLength(plays().length);
    const byId = new Map(got.map((r) => [r.songplay_id as string, r]));
    for (const e of plays()) {
      const row = byId.get(songplayId(e));
      expect(row, `play ${e.sessionId}/${e.itemInSession}`).toBeDefined();
      expect((row!.start_time as Date).getTime()).toBe(e.ts);
      expect(row!.user_id).toBe(e.userId === '' ? null : Number(e.userId));
      expect(row!.level).toBe(e.level);
      expect(row!.session_id).toBe(e.sessionId);
      expect(row!.location).toBe(e.location);
      expect(row!.user_agent).toBe(e.userAgent);
    }
  });

  it('matches songs by title and artist name, closest duration, then smallest song_id', async () => {
    const got = new Map(
      (await rows<{ songplay_id: string; song_id: string | null; artist_id: string | null }>(`SELECT songplay_id, song_id, artist_id FROM songplays`)).map((r) => [
        r.songplay_id,
        r,
      ]),
    );
    let ties = 0;
    for (const e of plays()) {
      const want = expectedMatch(e);
      const row = got.get(songplayId(e));
      expect(row?.song_id ?? null).toBe(want?.song_id ?? null);
      expect(row?.artist_id ?? null).toBe(want?.artist_id ?? null);
      if (source.songs.filter((s) => s.title === e.song && s.artist_name === e.artist).length > 1) ties += 1;
    }
    expect(ties, 'plays with several candidate songs').toBeGreaterThan(0);
  });
});

describe('users', () => {
  it('has one row per identified user, attributes and level from the latest event', async () => {
    const latest = new Map<string, SourceEvent>();
    for (const e of source.events) {
      if (e.userId === '') continue;
      const seen = latest.get(e.userId);
      const later = !seen || e.ts > seen.ts || (e.ts === seen.ts && (e.sessionId > seen.sessionId || (e.sessionId === seen.sessionId && e.itemInSession > seen.itemInSession)));
      if (later) latest.set(e.userId, e);
    }
    const got = await rows<{ user_id: number; first_name: string; last_name: string; gender: string; level: string }>(
      `SELECT user_id, first_name, last_name, gender, level FROM users ORDER BY user_id`,
    );
    const want = [...latest.values()]
      .map((e) => ({ user_id: Number(e.userId), first_name: e.firstName, last_name: e.lastName, gender: e.gender, level: e.level }))
      .sort((a, b) => a.user_id - b.user_id);
    expect(got).toEqual(want);
    // Levels change over time in the source, so "latest" is a real choice here.
    const levels = new Map<string, Set<string>>();
    for (const e of source.events) if (e.userId) levels.set(e.userId, (levels.get(e.userId) ?? new Set()).add(e.level));
    expect([...levels.values()].some((set) => set.size > 1)).toBe(true);
  });
});

describe('songs', () => {
  it('has one row per song_id, year NULL when 0', async () => {
    const got = await rows<Record<string, unknown>>(`SELECT song_id, title, artist_id, year, duration FROM songs ORDER BY song_id`);
    const ids = [...new Set(source.songs.map((s) => s.song_id))].sort();
    expect(got.map((r) => r.song_id)).toEqual(ids);
    for (const s of source.songs) {
      const row = got.find((r) => r.song_id === s.song_id)!;
      expect(row).toEqual({ song_id: s.song_id, title: s.title, artist_id: s.artist_id, year: s.year === 0 ? null : s.year, duration: s.duration });
    }
  });
});

describe('artists', () => {
  it('has one row per artist_id, chosen by the documented rule, location NULL when empty', async () => {
    const byArtist = new Map<string, SourceSong[]>();
    for (const s of source.songs) byArtist.set(s.artist_id, [...(byArtist.get(s.artist_id) ?? []), s]);
    const rank = (s: SourceSong) => [s.artist_name.length, s.artist_name, s.artist_location === '' ? 1 : 0, s.artist_latitude === null || s.artist_longitude === null ? 1 : 0, s.song_id] as const;
    const cmp = (a: SourceSong, b: SourceSong) => {
      const [x, y] = [rank(a), rank(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number | string) < (y[i] as number | string) ? -1 : 1;
      return 0;
    };
    const want = [...byArtist.entries()]
      .map(([artist_id, songs]) => {
        const s = [...songs].sort(cmp)[0]!;
        return { artist_id, name: s.artist_name, location: s.artist_location === '' ? null : s.artist_location, latitude: s.artist_latitude, longitude: s.artist_longitude };
      })
      .sort((a, b) => (a.artist_id < b.artist_id ? -1 : 1));
    const got = await rows(`SELECT artist_id, name, location, latitude, longitude FROM artists ORDER BY artist_id`);
    expect(got).toEqual(want);
  });
});

describe('time', () => {
  it('has one row per distinct play start_time with its parts', async () => {
    const times = [...new Set(plays().map((e) => e.ts))].sort((a, b) => a - b);
    const got = await rows<Record<string, unknown>>(`SELECT start_time, hour, day, week, month, year, weekday FROM time ORDER BY start_time`);
    expect(got).toHaveLength(times.length);
    got.forEach((row, i) => {
      const d = new Date(times[i]!);
      expect(row).toEqual({
        start_time: d,
        hour: d.getUTCHours(),
        day: d.getUTCDate(),
        week: isoWeek(d),
        month: d.getUTCMonth() + 1,
        year: d.getUTCFullYear(),
        weekday: d.getUTCDay(),
      });
    });
  });
});

describe('reloads', () => {
  it('give identical tables, songplay_id included, and a load history row each', async () => {
    const snapshot = async () =>
      Promise.all(['songplays ORDER BY songplay_id', 'users ORDER BY user_id', 'songs ORDER BY song_id', 'artists ORDER BY artist_id', 'time ORDER BY start_time'].map((t) => rows(`SELECT * FROM ${t}`)));
    const before = await snapshot();
    const again = await load('rules-2');
    expect(again.rows).toEqual(report.rows);
    expect(await snapshot()).toEqual(before);
    const history = await rows<{ load_id: string; outcome: string; rows_songplays: unknown; fingerprint: string }>(
      `SELECT load_id, outcome, rows_songplays, fingerprint FROM load_history ORDER BY load_seq`,
    );
    expect(history.map((h) => [h.load_id, h.outcome, Number(h.rows_songplays)])).toEqual([
      ['rules-1', 'succeeded', plays().length],
      ['rules-2', 'succeeded', plays().length],
    ]);
    expect(history[0]!.fingerprint).toBe(report.fingerprint);
  });
});
