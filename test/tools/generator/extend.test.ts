import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/project-config';
import { type DatasetState, readState, STATE_FILE, stateText } from '../../../tools/generator/dataset-state';
import { extendDataset, type ExtendRequest, planExtension } from '../../../tools/generator/extend-dataset';
import { type GeneratorOptions, generateDataset, SAMPLE_OPTIONS } from '../../../tools/generator/generate-dataset';
import { type JsonRecord, listFiles, num, pairKey, readDataset, str } from './dataset-reader';

/** `generate --days-after` (issue 15): later days for an existing dataset, same songs and users. */

const SAMPLE_DIR = path.join(PROJECT_ROOT, 'sample');
const SMALL: GeneratorOptions = { seed: 7, songs: 120, artists: 70, users: 25, events: 1500, days: 10, matchRate: 0.3 };

let root = '';
let counter = 0;
const freshDir = (): string => path.join(root, `run-${counter++}`);

async function generated(options: GeneratorOptions = SMALL): Promise<string> {
  const dir = freshDir();
  await generateDataset(dir, options);
  return dir;
}

async function extend(dir: string, request: ExtendRequest): Promise<void> {
  await extendDataset(await planExtension(dir, request));
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const key of await listFiles(dir)) files.set(key, await readFile(path.join(dir, key), 'latin1'));
  return files;
}

const isPlay = (event: JsonRecord): boolean => event.page === 'NextSong';
const userEvents = (events: readonly JsonRecord[]): JsonRecord[] => events.filter((event) => event.userId !== '');
const dayOf = (key: string): string => /(\d{4}-\d{2}-\d{2})-events\.json$/.exec(key)?.[1] ?? '';

/** Events of the day files from `firstDay` on (inclusive), or before it. */
async function eventsSplit(dir: string, firstDay: string): Promise<{ readonly before: JsonRecord[]; readonly after: JsonRecord[] }> {
  const data = await readDataset(dir);
  const before = data.logFiles.filter((file) => dayOf(file.key) < firstDay).flatMap((file) => file.events);
  const after = data.logFiles.filter((file) => dayOf(file.key) >= firstDay).flatMap((file) => file.events);
  return { before, after };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sparkify-extend-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('generator.json', () => {
  it('records the resolved options and what an extension needs', async () => {
    const dir = await generated();
    const state = await readState(dir);
    const events = (await readDataset(dir)).events;
    expect(state).toMatchObject({
      options: { seed: 7, songs: 120, artists: 70, users: 25, events: 1500, days: 10, matchRate: 0.3 },
      firstDay: '2018-11-01',
      lastDay: '2018-11-10',
      daysSoFar: 10,
      eventsSoFar: 1500,
      songFiles: 120,
      lastSessionId: Math.max(...events.map((event) => num(event, 'sessionId'))),
    });
    expect(state.periods).toHaveLength(1);
  });

  it('sample/ has the generator.json its options make, and its other files are unchanged (determinism.test compares every byte)', async () => {
    const dir = await generated(SAMPLE_OPTIONS);
    expect(await readFile(path.join(SAMPLE_DIR, STATE_FILE), 'utf8')).toBe(await readFile(path.join(dir, STATE_FILE), 'utf8'));
    const sample = await snapshot(SAMPLE_DIR);
    for (const [key, text] of await snapshot(dir)) expect(sample.get(key) === text, key).toBe(true);
  });
});

describe('--days-after', () => {
  let base = '';
  let before = new Map<string, string>();
  let extended = '';
  let state: DatasetState;

  beforeAll(async () => {
    base = await generated();
    before = await snapshot(base);
    extended = freshDir();
    await cp(base, extended, { recursive: true });
    await extend(extended, { daysAfter: 5 });
    state = await readState(extended);
  });

  it('writes only the new day files, at the dataset average per day, and leaves every other file as it was', async () => {
    const after = await snapshot(extended);
    const added = [...after.keys()].filter((key) => !before.has(key));
    expect(added).toEqual([11, 12, 13, 14, 15].map((d) => `log_data/2018/11/2018-11-${d}-events.json`));
    for (const [key, text] of before) if (key !== STATE_FILE) expect(after.get(key) === text, key).toBe(true);
    const { after: events } = await eventsSplit(extended, '2018-11-11');
    expect(events).toHaveLength(5 * 150);
  });

  it('updates generator.json after the days: days so far, last day, last session id, the new period', async () => {
    const { after: events } = await eventsSplit(extended, '2018-11-11');
    const previous = JSON.parse(before.get(STATE_FILE) ?? '{}') as DatasetState;
    expect(state).toMatchObject({ lastDay: '2018-11-15', daysSoFar: 15, eventsSoFar: 2250, options: previous.options });
    expect(state.lastSessionId).toBe(Math.max(...events.map((event) => num(event, 'sessionId'))));
    expect(state.periods[1]).toEqual({
      firstDay: '2018-11-11',
      lastDay: '2018-11-15',
      days: 5,
      events: 750,
      firstSessionId: previous.lastSessionId + 1,
      lastSessionId: state.lastSessionId,
    });
  });

  it('is deterministic: the same commands write the same bytes', async () => {
    const again = freshDir();
    await cp(base, again, { recursive: true });
    await extend(again, { daysAfter: 5 });
    expect(await snapshot(again)).toEqual(await snapshot(extended));
  });

  it('depends on the steps: 2 days then 3 is another dataset than 5 at once (as documented)', async () => {
    const steps = freshDir();
    await cp(base, steps, { recursive: true });
    await extend(steps, { daysAfter: 2 });
    await extend(steps, { daysAfter: 3 });
    const [a, b] = [await snapshot(steps), await snapshot(extended)];
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.get('log_data/2018/11/2018-11-15-events.json')).not.toBe(b.get('log_data/2018/11/2018-11-15-events.json'));
    expect((await readState(steps)).periods.map((p) => p.days)).toEqual([10, 2, 3]);
  });

  it('keeps the users: same ids, names, genders, registration, location and agent', async () => {
    const { before: old, after: added } = await eventsSplit(extended, '2018-11-11');
    const profile = (event: JsonRecord): string =>
      JSON.stringify([event.firstName, event.lastName, event.gender, event.registration, event.location, event.userAgent]);
    const known = new Map(userEvents(old).map((event) => [str(event, 'userId'), profile(event)]));
    const newUsers = userEvents(added);
    expect(newUsers.length).toBeGreaterThan(0);
    for (const event of newUsers) expect(profile(event), `user ${str(event, 'userId')}`).toBe(known.get(str(event, 'userId')));
  });

  it('keeps the catalog and the songs outside it: matched plays at the match rate, unmatched ones from the same pool', async () => {
    const data = await readDataset(extended);
    const catalog = new Set(data.songFiles.map((file) => pairKey(str(file.song, 'title'), str(file.song, 'artist_name'))));
    const { before: old, after: added } = await eventsSplit(extended, '2018-11-11');
    const pair = (event: JsonRecord): string => pairKey(str(event, 'song'), str(event, 'artist'));
    const plays = added.filter(isPlay);
    const matched = plays.filter((play) => catalog.has(pair(play)));
    expect(Math.abs(matched.length / plays.length - 0.3)).toBeLessThan(0.06);
    const oldOutside = new Set(old.filter(isPlay).map(pair));
    const outside = plays.filter((play) => !catalog.has(pair(play)));
    const reheard = outside.filter((play) => oldOutside.has(pair(play)));
    expect(reheard.length / outside.length).toBeGreaterThan(0.5);
  });

  it('continues session ids: no session of the new days has an earlier id, every songplay key is unique', async () => {
    const { before: old, after: added } = await eventsSplit(extended, '2018-11-11');
    const oldMax = Math.max(...old.map((event) => num(event, 'sessionId')));
    expect(Math.min(...added.map((event) => num(event, 'sessionId')))).toBe(oldMax + 1);
    const perUser = new Map<string, Set<number>>();
    for (const event of userEvents(old)) {
      const ids = perUser.get(str(event, 'userId')) ?? new Set<number>();
      perUser.set(str(event, 'userId'), ids.add(num(event, 'sessionId')));
    }
    for (const event of userEvents(added)) expect(perUser.get(str(event, 'userId'))?.has(num(event, 'sessionId')) ?? false).toBe(false);
    const keys = [...old, ...added]
      .filter(isPlay)
      .map((e) => `${str(e, 'userId')}|${num(e, 'sessionId')}|${num(e, 'itemInSession')}|${num(e, 'ts')}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('starts each user at the level they reached, and keeps changing levels', async () => {
    const { before: old, after: added } = await eventsSplit(extended, '2018-11-11');
    const levelAfter = (event: JsonRecord): string => {
      if (event.page === 'Submit Upgrade') return 'paid';
      if (event.page === 'Submit Downgrade') return 'free';
      return str(event, 'level');
    };
    const reached = new Map<string, string>();
    for (const event of userEvents(old).sort((a, b) => num(a, 'ts') - num(b, 'ts'))) reached.set(str(event, 'userId'), levelAfter(event));
    const firstNew = new Map<string, string>();
    for (const event of userEvents(added).sort((a, b) => num(a, 'ts') - num(b, 'ts'))) {
      if (!firstNew.has(str(event, 'userId'))) firstNew.set(str(event, 'userId'), str(event, 'level'));
    }
    for (const [user, level] of firstNew) expect(level, `user ${user}`).toBe(reached.get(user));
    const longer = freshDir();
    await cp(base, longer, { recursive: true });
    await extend(longer, { daysAfter: 30 });
    const changes = (await eventsSplit(longer, '2018-11-11')).after.filter(
      (e) => e.page === 'Submit Upgrade' || e.page === 'Submit Downgrade',
    );
    expect(changes.length).toBeGreaterThan(0);
  });

  it('takes --events-per-day', async () => {
    const dir = freshDir();
    await cp(base, dir, { recursive: true });
    await extend(dir, { daysAfter: 2, eventsPerDay: 40 });
    expect((await eventsSplit(dir, '2018-11-11')).after).toHaveLength(80);
  });
});

describe('--days-after refuses', () => {
  it('(and generate refuses a dataset folder, pointing to --days-after)', async () => {
    const dir = await generated();
    await expect(generateDataset(dir, SMALL)).rejects.toThrow(
      `${dir} is not empty: generate into a new or empty folder, or add days to the dataset in it with --days-after N`,
    );
  });

  it('a folder without generator.json, naming the file and the fix', async () => {
    const dir = await generated();
    await rm(path.join(dir, STATE_FILE));
    await expect(planExtension(dir, { daysAfter: 1 })).rejects.toThrow(
      `${path.join(dir, STATE_FILE)} not found: --days-after adds days to a dataset written by 'npx sparkify generate'; generate the dataset first with 'npx sparkify generate --out ${dir}'`,
    );
  });

  it('a malformed generator.json, naming the field', async () => {
    const dir = await generated();
    const state = await readState(dir);
    await writeFile(path.join(dir, STATE_FILE), stateText({ ...state, lastSessionId: -1 }));
    await expect(planExtension(dir, { daysAfter: 1 })).rejects.toThrow(/generator\.json: lastSessionId is missing or not valid \(-1\)/);
    await writeFile(path.join(dir, STATE_FILE), '{');
    await expect(planExtension(dir, { daysAfter: 1 })).rejects.toThrow(/generator\.json is not JSON/);
  });

  it('changed, missing or extra song files, naming the first that differs, and writes nothing', async () => {
    const dir = await generated();
    const [first, second] = (await listFiles(dir)).filter((key) => key.startsWith('song_data/'));
    const changed = path.join(dir, second ?? '');
    await writeFile(changed, (await readFile(changed, 'utf8')).replace('"year": ', '"year": 1'));
    const before = await snapshot(dir);
    await expect(extend(dir, { daysAfter: 1 })).rejects.toThrow(
      `${second} differs, so the song files are not what generator.json's options make`,
    );
    expect(await snapshot(dir)).toEqual(before);

    await rm(path.join(dir, first ?? ''));
    await expect(extend(dir, { daysAfter: 1 })).rejects.toThrow(`119 song files where 120 are expected; ${first} is missing`);
    await writeFile(path.join(dir, first ?? ''), '{}');
    const extra = `${path.posix.dirname(first ?? '')}/TRZZZZZ128F0000000.json`;
    await writeFile(path.join(dir, extra), '{}');
    await expect(extend(dir, { daysAfter: 1 })).rejects.toThrow(`121 song files where 120 are expected; ${extra} is not one of its songs`);
  });

  it('to overwrite a day file, naming it, and writes nothing', async () => {
    const dir = await generated();
    const next = path.join(dir, 'log_data/2018/11/2018-11-13-events.json');
    await writeFile(next, '');
    const before = await snapshot(dir);
    await expect(planExtension(dir, { daysAfter: 5 })).rejects.toThrow(`${next} exists already and is never overwritten`);
    expect(await snapshot(dir)).toEqual(before);
    await expect(extend(dir, { daysAfter: 2 })).resolves.toBeUndefined();
    expect(await stat(path.join(dir, 'log_data/2018/11/2018-11-12-events.json')).then(() => true)).toBe(true);
  });

  it('a day file that appears while it writes: the days before it stay, generator.json is left as it was', async () => {
    const dir = await generated();
    const plan = await planExtension(dir, { daysAfter: 3 });
    const state = await readFile(path.join(dir, STATE_FILE), 'utf8');
    const third = path.join(dir, 'log_data/2018/11/2018-11-13-events.json');
    await writeFile(third, 'theirs');
    await expect(extendDataset(plan)).rejects.toThrow(`${third} exists already and is never overwritten`);
    expect(await readFile(third, 'utf8')).toBe('theirs');
    expect(await readFile(path.join(dir, STATE_FILE), 'utf8')).toBe(state);
    // The next attempt names the leftover day, since generator.json still ends on day 10.
    await expect(planExtension(dir, { daysAfter: 3 })).rejects.toThrow(
      /2018-11-11-events\.json exists already .* remove the later day files/,
    );
  });

  it('more days than a dataset holds, or more events than one run writes', async () => {
    const dir = await generated();
    await expect(planExtension(dir, { daysAfter: 3651 })).rejects.toThrow(
      '--days-after 3651: the dataset has 10 days and holds at most 3,660 (up to ten years keeps every timestamp and file name within the formats used here); use a whole number from 1 to 3,650',
    );
    await expect(planExtension(dir, { daysAfter: 3000, eventsPerDay: 5000 })).rejects.toThrow(
      /--days-after 3000 at --events-per-day 5,000 makes 15,000,000 events; one run writes at most 10,000,000/,
    );
  });
});
