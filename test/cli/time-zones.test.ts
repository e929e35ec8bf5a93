import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../cli/main';
import { isoText, timestampText, utcDate } from '../../local/timestamp';
import { openTestEngine, serverUrl, type TestEngine } from '../support/engine';
import { readSource } from '../support/source-files';
import { runBin, runCli } from '../support/cli';

// Timestamps are UTC end to end, whatever the machine's time zone (SPEC §7). One warehouse is
// loaded on a UTC machine, the other by a process on America/Los_Angeles time; a process on
// Asia/Kolkata time then queries the second. Every table and JSON must be byte for byte what UTC
// prints, and UTC must print the events' own `ts` in UTC. CI also runs this file with vitest on
// non-UTC time and against a PostgreSQL server whose own time zone is not UTC.
let utcWarehouse: TestEngine;
let laWarehouse: TestEngine;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The CLI in this process with process.env.TZ set (Node applies a change at once); never two at once. */
async function inProcess(tz: string, ...args: string[]): Promise<Run> {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await runCli(...args);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

/** The sparkify bin in a process started with TZ set, as on a machine in that zone. */
async function spawned(tz: string, ...args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await runBin(args, { env: { TZ: tz } });
  return { code, out: stdout.replace(/\n$/, ''), err: stderr.replace(/\n$/, '') };
}

/** A load's output without what differs between any two runs: times, progress lines, the folder. */
function withoutTimings(out: string): string {
  return out
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('…') && !line.trimStart().startsWith('engine '))
    .map((line) => line.replace(/\s*\d+(\.\d+)? (ms|s)\b/g, ' T'))
    .join('\n');
}

const PLAYS = `SELECT p.songplay_id, p.start_time, CAST(p.start_time AS DATE) AS day, t.hour, t.day, t.weekday,
  CAST(p.start_time AS TIMESTAMPTZ) AS at_utc, EXTRACT(EPOCH FROM p.start_time) AS epoch, DATE_TRUNC('hour', p.start_time) AS hour_start
FROM songplays AS p JOIN time AS t ON t.start_time = p.start_time
ORDER BY p.start_time, p.songplay_id LIMIT 12`;

beforeAll(async () => {
  utcWarehouse = await openTestEngine();
  laWarehouse = await openTestEngine();
  await Promise.all([utcWarehouse.engine.close(), laWarehouse.engine.close()]); // the CLI opens them itself
});

afterAll(async () => {
  await Promise.all([utcWarehouse.dispose(), laWarehouse.dispose()]);
});

describe(`time zones (${serverUrl ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('a load on America/Los_Angeles time prints what a load on UTC prints', async () => {
    const [utc, la] = await Promise.all([
      inProcess('UTC', 'load', '--db', utcWarehouse.target, '--load-id', 'tz-check'),
      spawned('America/Los_Angeles', 'load', '--db', laWarehouse.target, '--load-id', 'tz-check'),
    ]);
    expect(utc.err).toBe('');
    expect(utc.code).toBe(0);
    expect(la.err).toBe('');
    expect(la.code).toBe(0);
    expect(withoutTimings(la.out)).toBe(withoutTimings(utc.out));
    expect(la.out).toContain('Loaded tz-check');
  });

  it("a query on Asia/Kolkata time prints and exports what UTC prints (each play's ts in UTC), for a warehouse loaded on Los Angeles time", async () => {
    // Two processes on Kolkata time meanwhile; in this process, one TZ at a time (it is global).
    const kolkata = Promise.all([
      spawned('Asia/Kolkata', 'query', PLAYS, '--db', laWarehouse.target),
      spawned('Asia/Kolkata', 'query', PLAYS, '--db', laWarehouse.target, '--json'),
    ]);
    const utcTable = await inProcess('UTC', 'query', PLAYS, '--db', utcWarehouse.target);
    const utcJson = await inProcess('UTC', 'query', PLAYS, '--db', utcWarehouse.target, '--json');
    const [kolkataTable, kolkataJson] = await kolkata;
    for (const run of [utcTable, utcJson, kolkataTable, kolkataJson]) expect(run.err).toBe('');
    expect(kolkataTable.out).toBe(utcTable.out);
    expect(kolkataJson.out).toBe(utcJson.out);

    // And what UTC prints is each play's ts in UTC, to the millisecond.
    const rows = JSON.parse(utcJson.out) as Record<string, unknown>[];
    const plays = (await readSource(SAMPLE_DIR)).events.filter((event) => event.page === 'NextSong').sort((x, y) => x.ts - y.ts);
    expect(rows).toHaveLength(12);
    rows.forEach((row, i) => {
      const ts = plays[i]?.ts ?? NaN;
      const iso = new Date(ts).toISOString();
      expect(row).toMatchObject({
        start_time: iso,
        day: iso.slice(0, 10),
        hour: new Date(ts).getUTCHours(),
        day_2: new Date(ts).getUTCDate(),
        weekday: new Date(ts).getUTCDay(),
        at_utc: iso,
        // EXTRACT of a TIMESTAMP is an INTEGER (https://docs.aws.amazon.com/redshift/latest/dg/r_EXTRACT_function.html).
        epoch: Math.trunc(ts / 1000),
        hour_start: `${iso.slice(0, 13)}:00:00.000Z`,
      });
    });
    expect(utcTable.out.split('\n')[2]).toContain(
      ` ${new Date(plays[0]?.ts ?? NaN)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.?0*Z$/, '')} `,
    );
  });

  it('daily_plays (DATE values) prints and exports alike on Los Angeles and UTC time', async () => {
    const utcJson = await inProcess('UTC', 'query', 'daily_plays', '--db', utcWarehouse.target, '--json');
    const utcTable = await inProcess('UTC', 'query', 'daily_plays', '--db', utcWarehouse.target);
    expect(utcJson.err).toBe('');
    expect((await inProcess('America/Los_Angeles', 'query', 'daily_plays', '--db', laWarehouse.target, '--json')).out).toBe(utcJson.out);
    expect((await inProcess('America/Los_Angeles', 'query', 'daily_plays', '--db', laWarehouse.target)).out).toBe(utcTable.out);
    expect((JSON.parse(utcJson.out) as { day_utc: string }[])[0]?.day_utc).toBe('2018-11-01');
    expect(utcTable.out.split('\n')[2]).toMatch(/^2018-11-01 +\d+ +\d+$/);
  });
});

describe('utcDate: the engines read DATE and TIMESTAMP text as UTC', () => {
  it.each([
    ['2018-11-01 00:09:53.796', '2018-11-01T00:09:53.796Z'],
    ['2018-11-01 00:09:53.796512', '2018-11-01T00:09:53.796Z'],
    ['2018-11-01 00:09:53.7', '2018-11-01T00:09:53.700Z'],
    ['2018-11-01', '2018-11-01T00:00:00.000Z'],
    ['0050-02-28 12:00:00', '0050-02-28T12:00:00.000Z'],
    ['2018-11-01 05:39:53.796+05:30', '2018-11-01T00:09:53.796Z'],
    ['2018-10-31 16:09:53-08', '2018-11-01T00:09:53.000Z'],
  ])('%s is %s on any machine', (text, iso) => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const saved = process.env.TZ;
      process.env.TZ = tz;
      try {
        expect((utcDate(text) as Date).toISOString()).toBe(iso);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    }
  });

  it('keeps the microseconds a Date cannot hold, for the table and --json', () => {
    const value = utcDate('2018-11-01 00:09:53.796512');
    expect(value instanceof Date && timestampText(value)).toBe('2018-11-01 00:09:53.796512');
    expect(value instanceof Date && isoText(value)).toBe('2018-11-01T00:09:53.796512Z');
    const bc = utcDate('0044-03-15 12:00:00.000001 BC');
    expect(bc instanceof Date && timestampText(bc)).toBe('0044-03-15 12:00:00.000001 BC');
  });

  it('keeps infinity as text', () => {
    expect(utcDate('infinity')).toBe('infinity');
  });
});
