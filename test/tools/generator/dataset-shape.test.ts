import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedSummary, generateDataset, SAMPLE_OPTIONS } from '../../../tools/generator/generate-dataset';
import { jsonPathsText } from '../../../tools/generator/jsonpaths';
import { type Dataset, type JsonRecord, num, pairKey, readDataset, str } from './dataset-reader';

/** Shapes and quirks of the real bucket (SPEC §2), checked on the sample options' output. */

const SONG_KEYS = [
  'num_songs',
  'artist_id',
  'artist_latitude',
  'artist_longitude',
  'artist_location',
  'artist_name',
  'song_id',
  'title',
  'duration',
  'year',
];
const LOG_KEYS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
];
const REQUESTS: Record<string, readonly [string, number]> = {
  NextSong: ['PUT', 200],
  Home: ['GET', 200],
  Login: ['PUT', 307],
  Logout: ['PUT', 307],
  Settings: ['GET', 200],
  'Save Settings': ['PUT', 307],
  Help: ['GET', 200],
  About: ['GET', 200],
  Error: ['GET', 404],
  Upgrade: ['GET', 200],
  'Submit Upgrade': ['PUT', 307],
  Downgrade: ['GET', 200],
  'Submit Downgrade': ['PUT', 307],
};

let dir = '';
let summary: GeneratedSummary;
let data: Dataset;
let songs: JsonRecord[];
let plays: JsonRecord[];
let catalogPairs: Map<string, JsonRecord[]>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sparkify-gen-'));
  summary = await generateDataset(path.join(dir, 'data'), SAMPLE_OPTIONS);
  data = await readDataset(path.join(dir, 'data'));
  songs = data.songFiles.map((file) => file.song);
  plays = data.events.filter((event) => event.page === 'NextSong');
  catalogPairs = new Map();
  for (const song of songs) {
    const key = pairKey(str(song, 'title'), str(song, 'artist_name'));
    catalogPairs.set(key, [...(catalogPairs.get(key) ?? []), song]);
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const matches = (play: JsonRecord): JsonRecord[] => catalogPairs.get(pairKey(str(play, 'song'), str(play, 'artist'))) ?? [];

describe('layout', () => {
  it('puts each song under song_data/<3rd>/<4th>/<5th char of its track id>/<track id>.json', () => {
    expect(data.songFiles).toHaveLength(SAMPLE_OPTIONS.songs);
    for (const { key } of data.songFiles) {
      const match = /^song_data\/([AB])\/([A-Z])\/([A-Z])\/(TR[A-Z]{5}[0-9A-F]{11})\.json$/.exec(key);
      expect(match, key).not.toBeNull();
      const trackId = match?.[4] ?? '';
      expect([match?.[1], match?.[2], match?.[3]]).toEqual([trackId[2], trackId[3], trackId[4]]);
    }
  });

  it('writes one log file per day from 2018-11-01, named by date', () => {
    const keys = data.logFiles.map((file) => file.key);
    expect(keys).toHaveLength(30);
    expect(keys[0]).toBe('log_data/2018/11/2018-11-01-events.json');
    expect(keys[29]).toBe('log_data/2018/11/2018-11-30-events.json');
  });

  it('writes log_json_path.json at the root with the 18 paths of the real file', () => {
    expect(data.files.get('log_json_path.json')?.toString('utf8')).toBe(jsonPathsText());
    // generator.json (the options, for --days-after) also sits at the root, under neither COPY prefix.
    expect([...data.files.keys()].filter((key) => !key.includes('/'))).toEqual(['generator.json', 'log_json_path.json']);
  });

  it('reports what it wrote', () => {
    let bytes = 0;
    for (const content of data.files.values()) bytes += content.length;
    expect(summary).toEqual({
      songFiles: 300,
      artists: 195,
      eventFiles: 30,
      events: 3000,
      nextSongEvents: plays.length,
      users: 60,
      bytes,
    });
  });
});

describe('song files', () => {
  it('hold one object with the real keys in the real order, as json.dumps writes it', () => {
    for (const { text, song } of data.songFiles) {
      expect(Object.keys(song)).toEqual(SONG_KEYS);
      expect(text.startsWith('{"num_songs": 1, "artist_id": "AR')).toBe(true);
      expect(text.endsWith('}')).toBe(true);
      expect(text).not.toContain('\n');
      expect(/^[\x20-\x7e]*$/.test(text), text).toBe(true);
      expect(text).toMatch(/"duration": \d+\.\d+, "year": \d+}$/);
    }
  });

  it('have the real value types and id shapes', () => {
    for (const song of songs) {
      expect(song.num_songs).toBe(1);
      expect(str(song, 'artist_id')).toMatch(/^AR[A-Z0-9]{16}$/);
      expect(str(song, 'song_id')).toMatch(/^SO[A-Z]{5}[0-9A-F]{11}$/);
      expect(num(song, 'duration')).toBeGreaterThan(0);
      expect(Number.isInteger(num(song, 'year'))).toBe(true);
      expect(song.artist_latitude === null || typeof song.artist_latitude === 'number').toBe(true);
      expect(song.artist_latitude === null).toBe(song.artist_longitude === null);
      expect(typeof song.artist_location).toBe('string');
    }
    expect(new Set(songs.map((song) => song.song_id)).size).toBe(songs.length);
  });

  it('have unknown years (0), empty locations and missing coordinates for a good share', () => {
    const share = (test: (song: JsonRecord) => boolean): number => songs.filter(test).length / songs.length;
    expect(share((song) => song.year === 0)).toBeGreaterThan(0.3);
    expect(share((song) => song.year !== 0)).toBeGreaterThan(0.3);
    expect(share((song) => song.artist_location === '')).toBeGreaterThan(0.25);
    expect(share((song) => song.artist_latitude === null)).toBeGreaterThan(0.4);
    expect(share((song) => song.artist_latitude !== null)).toBeGreaterThan(0.1);
  });

  it('show one artist id under several names ("X" and "X feat. Y") and places', () => {
    const byArtist = new Map<string, Set<string>>();
    for (const song of songs) {
      const id = str(song, 'artist_id');
      byArtist.set(id, (byArtist.get(id) ?? new Set()).add(JSON.stringify([song.artist_name, song.artist_location])));
    }
    const variants = [...byArtist.values()].filter((rows) => rows.size > 1);
    expect(variants.length).toBeGreaterThanOrEqual(3);
    const names = variants.map((rows) => [...rows].map((row) => String((JSON.parse(row) as unknown[])[0])));
    const featuring = names.filter((list) => list.some((a) => list.some((b) => a !== b && b.startsWith(a))));
    expect(featuring.length).toBeGreaterThanOrEqual(2);
  });

  it('include songs sharing a title and artist name with different durations, and exact duplicates', () => {
    const groups = [...catalogPairs.values()].filter((group) => group.length > 1);
    const durations = (group: JsonRecord[]): Set<number> => new Set(group.map((song) => num(song, 'duration')));
    expect(groups.filter((group) => durations(group).size === group.length).length).toBeGreaterThanOrEqual(1);
    expect(groups.filter((group) => durations(group).size === 1).length).toBeGreaterThanOrEqual(1);
    // ...and homonyms: one name, two artist ids.
    expect(groups.some((group) => new Set(group.map((song) => song.artist_id)).size > 1)).toBe(true);
  });
});

describe('log files', () => {
  it('hold several newline-separated objects and no trailing newline', () => {
    for (const file of data.logFiles) {
      expect(file.lines.length, file.key).toBeGreaterThan(1);
      expect(file.text.endsWith('\n')).toBe(false);
      expect(file.text.endsWith('}')).toBe(true);
      expect(/^[\x20-\x7e\n]*$/.test(file.text)).toBe(true);
    }
  });

  it('use the real keys in the real order with the real value types', () => {
    for (const event of data.events) {
      expect(Object.keys(event)).toEqual(LOG_KEYS);
      expect(typeof event.userId).toBe('string');
      expect(Number.isInteger(event.ts)).toBe(true);
      expect(Number.isInteger(event.sessionId)).toBe(true);
      expect(Number.isInteger(event.itemInSession)).toBe(true);
      expect(Number.isInteger(event.status)).toBe(true);
      expect(['free', 'paid']).toContain(event.level);
      const request = REQUESTS[str(event, 'page')];
      expect(request, str(event, 'page')).toBeDefined();
      expect([event.method, event.status]).toEqual(request);
      const play = event.page === 'NextSong';
      expect(typeof event.length).toBe(play ? 'number' : 'object');
      expect(typeof event.song).toBe(play ? 'string' : 'object');
      expect(typeof event.artist).toBe(play ? 'string' : 'object');
    }
  });

  it('write registration as a float (…796.0) and ts as epoch milliseconds inside the file day', () => {
    for (const file of data.logFiles) {
      const day = /(\d{4}-\d{2}-\d{2})-events\.json$/.exec(file.key)?.[1];
      file.lines.forEach((line, i) => {
        expect(line).toMatch(/"registration":(null|\d{13}\.0),/);
        const ts = num(file.events[i] ?? {}, 'ts');
        expect(new Date(ts).toISOString().slice(0, 10)).toBe(day);
      });
      const times = file.events.map((event) => num(event, 'ts'));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('quote user agents like the real ones and escape "/"', () => {
    const agents = new Set(data.events.map((event) => event.userAgent).filter((agent) => agent !== null));
    expect([...agents].some((agent) => String(agent).startsWith('"Mozilla/5.0'))).toBe(true);
    expect([...agents].some((agent) => String(agent).startsWith('Mozilla/5.0'))).toBe(true);
    expect(data.logFiles[0]?.text).toContain('Mozilla\\/5.0');
  });

  it('have logged-out events with userId "" and null user fields, on Home/Login/About/Help', () => {
    const loggedOut = data.events.filter((event) => event.userId === '');
    expect(loggedOut.length).toBeGreaterThan(20);
    for (const event of loggedOut) {
      expect(event.auth).toBe('Logged Out');
      for (const key of ['firstName', 'lastName', 'gender', 'location', 'userAgent', 'registration']) {
        expect(event[key], key).toBeNull();
      }
      expect(['Home', 'Login', 'About', 'Help']).toContain(event.page);
    }
    expect(new Set(loggedOut.map((event) => event.page))).toEqual(new Set(['Home', 'Login', 'About', 'Help']));
    for (const event of data.events.filter((event) => event.userId !== '')) {
      expect(event.auth).toBe('Logged In');
      expect(str(event, 'userId')).toMatch(/^[1-9]\d*$/);
    }
  });

  it('number items within a session from 0, with time moving forward', () => {
    const sessions = new Map<number, JsonRecord[]>();
    for (const event of data.events) {
      const id = num(event, 'sessionId');
      sessions.set(id, [...(sessions.get(id) ?? []), event]);
    }
    for (const events of sessions.values()) {
      expect(events.map((event) => event.itemInSession)).toEqual(events.map((_, i) => i));
      for (let i = 1; i < events.length; i++) {
        expect(num(events[i] ?? {}, 'ts')).toBeGreaterThanOrEqual(num(events[i - 1] ?? {}, 'ts'));
      }
      const users = new Set(events.map((event) => event.userId).filter((id) => id !== ''));
      expect(users.size).toBeLessThanOrEqual(1);
    }
  });

  it('give users several sessions and keep their profile constant', () => {
    const sessionsByUser = new Map<string, Set<unknown>>();
    const profiles = new Map<string, Set<string>>();
    for (const event of data.events.filter((event) => event.userId !== '')) {
      const user = str(event, 'userId');
      sessionsByUser.set(user, (sessionsByUser.get(user) ?? new Set()).add(event.sessionId));
      const profile = JSON.stringify([event.firstName, event.lastName, event.gender, event.location, event.registration, event.userAgent]);
      profiles.set(user, (profiles.get(user) ?? new Set()).add(profile));
    }
    const counts = [...sessionsByUser.values()].map((set) => set.size).sort((a, b) => a - b);
    expect(counts[Math.floor(counts.length / 2)]).toBeGreaterThanOrEqual(3);
    expect([...profiles.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('make NextSong the majority page (about 85%)', () => {
    const share = plays.length / data.events.length;
    expect(share).toBeGreaterThan(0.8);
    expect(share).toBeLessThan(0.9);
  });

  it("change some users' level mid-period, through Submit Upgrade/Downgrade", () => {
    const levels = new Map<string, string[]>();
    for (const event of [...data.events].sort((a, b) => num(a, 'ts') - num(b, 'ts'))) {
      if (event.userId === '') continue;
      const user = str(event, 'userId');
      levels.set(user, [...(levels.get(user) ?? []), str(event, 'level')]);
    }
    const changed = [...levels.values()].filter((history) => new Set(history).size > 1);
    expect(changed.length).toBeGreaterThanOrEqual(3);
    // The latest level differs from an earlier one, so "level from the latest event" matters.
    expect(changed.every((history) => history.some((level) => level !== history[history.length - 1]))).toBe(true);
    const pages = new Set(data.events.map((event) => event.page));
    expect(pages.has('Submit Upgrade')).toBe(true);
    expect(pages.has('Submit Downgrade')).toBe(true);
    for (const submit of data.events.filter((event) => event.page === 'Submit Upgrade')) {
      expect(submit.level).toBe('free');
    }
  });
});

describe('plays against the catalog', () => {
  it('match the catalog (same title and artist name) at about matchRate', () => {
    const matched = plays.filter((play) => matches(play).length > 0);
    expect(matched.length).toBeGreaterThan(250);
    expect(Math.abs(matched.length / plays.length - SAMPLE_OPTIONS.matchRate)).toBeLessThan(0.03);
    // Matched plays mostly last exactly the song's duration.
    const exact = matched.filter((play) => matches(play).some((song) => song.duration === play.length));
    expect(exact.length / matched.length).toBeGreaterThan(0.8);
  });

  it('exercise the duration rule: equal to one of several candidates, and equal to none', () => {
    const ambiguous = plays.filter((play) => new Set(matches(play).map((song) => song.duration)).size > 1);
    const durationsOf = (play: JsonRecord): unknown[] => matches(play).map((song) => song.duration);
    expect(ambiguous.some((play) => durationsOf(play).includes(play.length))).toBe(true);
    expect(ambiguous.some((play) => !durationsOf(play).includes(play.length))).toBe(true);
    const tied = plays.filter((play) => matches(play).length > 1 && new Set(durationsOf(play)).size === 1);
    expect(tied.length).toBeGreaterThan(0);
  });

  it('include near misses: catalog titles by other artists, catalog artists with other titles', () => {
    const titles = new Set(songs.map((song) => song.title));
    const artists = new Set(songs.map((song) => song.artist_name));
    const unmatched = plays.filter((play) => matches(play).length === 0);
    expect(unmatched.some((play) => titles.has(play.song))).toBe(true);
    expect(unmatched.some((play) => artists.has(play.artist))).toBe(true);
  });
});
