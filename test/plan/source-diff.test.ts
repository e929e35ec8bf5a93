import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import {
  ChangedSourceFilesError,
  FULL_RELOAD_FIX,
  decideLoad,
  eventsManifest,
  sourceKind,
  trackedObjects,
  trackingFile,
  type SourceObject,
  type TrackedObject,
} from '../../lib/plan/source-diff';

const day = (n: number, etag = `"e${n}"`, size = 100 + n): SourceObject => ({
  kind: 'events',
  key: `log_data/2018/11/2018-11-0${n}-events.json`,
  size,
  etag,
});
const song: SourceObject = { kind: 'songs', key: 'song_data/A/A/A/TRAAAAA.json', size: 250, etag: '"s1"' };
const jsonpaths: SourceObject = { kind: 'jsonpaths', key: 'log_json_path.json', size: 700, etag: '"j1"' };
const tracked = (...objects: SourceObject[]): TrackedObject[] => objects.map((object) => ({ ...object, loadId: 'load-1' }));
const base = {
  listing: [day(1), day(2), song, jsonpaths],
  tracked: tracked(day(1), song, jsonpaths),
  lastSucceeded: { loadId: 'load-1', fingerprint: 'f1' },
  fingerprint: 'f1',
  loadId: 'load-2',
  maxLoadErrors: 0,
  schemaUnchanged: true,
};

describe('decideLoad', () => {
  it('takes only the log files no committed load read', () => {
    expect(decideLoad(base)).toEqual({ kind: 'incremental', newEvents: [day(2)] });
  });

  it('runs nothing when every log file was read', () => {
    expect(decideLoad({ ...base, listing: [day(1), song, jsonpaths] })).toEqual({ kind: 'nothing-new', held: 'load-1' });
  });

  it('loads in full, saying why, when the warehouse cannot be extended to equal a full load', () => {
    expect(decideLoad({ ...base, schemaUnchanged: false, tracked: [] })).toEqual({
      kind: 'full',
      reason: 'a table in sql/schema is new or changed',
    });
    expect(decideLoad({ ...base, lastSucceeded: undefined })).toEqual({ kind: 'full', reason: 'no earlier load succeeded' });
    // A new warehouse: no load, and every table still to create. The first reason is the true one.
    expect(decideLoad({ ...base, lastSucceeded: undefined, schemaUnchanged: false, tracked: [] })).toEqual({
      kind: 'full',
      reason: 'no earlier load succeeded',
    });
    expect(decideLoad({ ...base, tracked: [] })).toEqual({ kind: 'full', reason: 'load load-1 tracked no source files' });
    expect(decideLoad({ ...base, fingerprint: 'f2' })).toEqual({
      kind: 'full',
      reason: 'the SQL or settings changed since load load-1 (fingerprint f1 -> f2)',
    });
    const songs = (listing: SourceObject[]) => decideLoad({ ...base, listing });
    const newSong = { ...song, key: 'song_data/B/B/B/TRBBBBB.json' };
    expect(songs([day(1), day(2), song, newSong, jsonpaths])).toEqual({
      kind: 'full',
      reason: '1 song file new, changed or gone since it was loaded (first: song_data/B/B/B/TRBBBBB.json); songs and artists are rebuilt',
    });
    expect(songs([day(1), { ...song, etag: '"s2"' }, jsonpaths])).toMatchObject({
      kind: 'full',
      reason: expect.stringContaining('first: song_data/A/A/A/TRAAAAA.json'),
    });
    expect(songs([day(1), jsonpaths])).toMatchObject({ kind: 'full', reason: expect.stringContaining('1 song file new, changed or gone') });
    expect(songs([day(1), song, { ...jsonpaths, size: 701 }])).toMatchObject({
      kind: 'full',
      reason: expect.stringContaining('the jsonpaths file'),
    });
  });

  it('loads in full when MAXERROR is set: rejections are counted over all files, which the new files alone cannot check', () => {
    expect(decideLoad({ ...base, maxLoadErrors: 3 })).toEqual({
      kind: 'full',
      reason:
        "maxLoadErrors is 3: a full load's COPY rejects at most that many records over all files, which loading the new files alone cannot check",
    });
  });

  it('refuses a load id the warehouse already has: user_latest_event tells the loads apart by it', () => {
    expect(() => decideLoad({ ...base, loadId: 'load-1' })).toThrowError(
      'the load id load-1 is already in the warehouse (a load of that id succeeded, in load_history): each load needs an id of its own (leave out --load-id for a new one)',
    );
  });

  it('stops on a loaded log file whose ETag changed (same size) or that is gone, naming each', () => {
    const run = (listing: SourceObject[]) => () => decideLoad({ ...base, tracked: tracked(day(1), day(2), song, jsonpaths), listing });
    expect(run([day(1, '"other"'), day(2), song, jsonpaths])).toThrowError(ChangedSourceFilesError);
    expect(run([day(1, '"other"'), song, jsonpaths])).toThrowError(
      [
        '2 log files changed since they were loaded, so an incremental load would not equal a full one:',
        '  log_data/2018/11/2018-11-01-events.json: now size 101, etag "other" (was size 101, etag "e1", loaded by load-1)',
        '  log_data/2018/11/2018-11-02-events.json: gone (was size 102, etag "e2", loaded by load-1)',
        FULL_RELOAD_FIX,
      ].join('\n'),
    );
  });
});

describe('what the executors write and read', () => {
  it('sorts listed keys into their source by the prefix rule COPY uses', () => {
    expect(sourceKind(DEFAULT_CONFIG, 'log_data/2018/11/a.json')).toBe('events');
    expect(sourceKind(DEFAULT_CONFIG, 'log_data_old/a.json')).toBe('events');
    expect(sourceKind(DEFAULT_CONFIG, 'song_data/A/b.json')).toBe('songs');
    expect(sourceKind(DEFAULT_CONFIG, 'log_json_path.json')).toBe('jsonpaths');
    expect(sourceKind(DEFAULT_CONFIG, 'generator.json')).toBeUndefined();
  });

  it('writes the listing as JSON lines with the COPY column names, and a manifest of mandatory entries', () => {
    expect(trackingFile([day(1)], 'load-2')).toBe(
      '{"kind":"events","key":"log_data/2018/11/2018-11-01-events.json","size":101,"etag":"\\"e1\\"","load_id":"load-2"}\n',
    );
    expect(JSON.parse(eventsManifest('udacity-dend', [day(1), day(2)]))).toEqual({
      entries: [
        { url: 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json', mandatory: true },
        { url: 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json', mandatory: true },
      ],
    });
    expect(() => eventsManifest('udacity-dend', [])).toThrowError(/at least one file/);
  });

  it('reads tracked rows, refusing a kind it does not know', () => {
    expect(trackedObjects([{ kind: 'songs', key: 'k', size: '12', etag: '"x"', load_id: 'l' }])).toEqual([
      { kind: 'songs', key: 'k', size: 12, etag: '"x"', loadId: 'l' },
    ]);
    expect(() => trackedObjects([{ kind: 'logs', key: 'k', size: 1, etag: '"x"', load_id: 'l' }])).toThrowError(
      "source_files holds kind 'logs' for k; expected events, songs, jsonpaths (a full reload rewrites the table)",
    );
  });
});
