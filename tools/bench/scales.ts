import type { GeneratorOptions } from '../generator/generate-dataset';

/** One dataset the benchmark loads: a name, what it stands for, and the generator's options. */
export interface Scale {
  readonly name: string;
  readonly label: string;
  readonly options: Required<GeneratorOptions>;
  /** Whether the scaling fit uses it: the event scales share the songs and grow the events. */
  readonly eventSeries: boolean;
}

/**
 * The real bucket's size (SPEC §2): about 14.9k song files of one song each, 9.5k artist ids and
 * 8,056 events over 30 days. Users follow the generator's default (one per 50 events), so they grow
 * with the events, as a growing service's would.
 */
const REAL = { seed: 2018, songs: 14_896, artists: 9_553, events: 8_056, days: 30, matchRate: 0.1 };
/** Small enough for a smoke run in seconds. */
const QUICK = { seed: 2018, songs: 600, artists: 390, events: 1_000, days: 30, matchRate: 0.1 };

function scales(base: typeof REAL, prefix: string): Scale[] {
  const make = (name: string, label: string, songs: number, events: number, eventSeries: boolean): Scale => ({
    name: `${prefix}${name}`,
    label,
    options: {
      ...base,
      songs,
      artists: Math.round((base.artists * songs) / base.songs),
      events,
      users: Math.max(1, Math.round(events / 50)),
    },
    eventSeries,
  });
  return [
    make('1x', 'real bucket size', base.songs, base.events, true),
    make('events-10x', '10x the events', base.songs, base.events * 10, true),
    make('events-100x', '100x the events', base.songs, base.events * 100, true),
    make('songs-10x', '10x the songs', base.songs * 10, base.events, false),
  ];
}

export const FULL_SCALES = scales(REAL, '');
export const QUICK_SCALES = scales(QUICK, 'quick-');
