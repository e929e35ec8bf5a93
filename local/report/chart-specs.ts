import type { QueryAnswer, ReportData, ReportQueryName, ReportRow } from './report-data';

/** A Vega-Lite specification, as JSON (compiled and drawn in the browser by vega-embed). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/** One chart of the report: its element id, the query its marks come from (one mark per row), its spec. */
export interface ReportChart {
  /** The chart's element is `chart-<id>`; the page exposes its Vega view as window.sparkifyViews[id]. */
  readonly id: string;
  readonly query: ReportQueryName;
  readonly title: string;
  /** The sentence under the title: what the chart shows and where its figures come from. */
  readonly note: string;
  readonly spec: VegaLiteSpec;
}

const COUNT_FORMAT = ',d';

/** What every chart shares: the container's width (phones included), fitted with its axes and padding. */
function base(title: string, values: readonly ReportRow[], height: number | { step: number }): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' },
    width: 'container',
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    config: { axis: { labelLimit: 160, titleFontWeight: 'normal' }, view: { stroke: null } },
  };
}

const count = (field: string, title: string) => ({ field, type: 'quantitative', title, axis: { format: COUNT_FORMAT } });

/** Horizontal bars, one per row, in the query's order (ranks as the query gives them, ties included). */
function rankedBars(answer: QueryAnswer, title: string, label: (row: ReportRow) => string, x: Record<string, unknown>, yTitle: string) {
  const values = answer.rows.map((row, order) => ({ ...row, label: label(row), order }));
  return {
    ...base(title, values, { step: 22 }),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', title: yTitle, sort: { field: 'order', order: 'ascending' } },
      x,
    },
  };
}

const rank = (row: ReportRow) => (row.rank === undefined || row.rank === null ? '' : `${String(row.rank)}. `);

/** The report's charts, in page order, from the named queries' answers. */
export function reportCharts(data: ReportData): ReportChart[] {
  const dayAxis = {
    field: 'day_utc',
    type: 'temporal',
    timeUnit: 'utcyearmonthdate',
    title: 'Day (UTC)',
    axis: { format: '%b %d', labelAngle: -45 },
  };
  return [
    {
      id: 'plays-by-hour',
      query: 'plays_by_hour',
      title: 'Plays by hour of day (UTC)',
      note: 'Every play, by the hour (UTC) it started in.',
      spec: {
        ...base('Plays by hour of day (UTC)', data.plays_by_hour.rows, 220),
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'hour_utc', type: 'ordinal', title: 'Hour of day (UTC, 0–23)', axis: { labelAngle: 0 } },
          y: count('plays', 'Plays (count)'),
        },
      },
    },
    {
      id: 'plays-by-day',
      query: 'daily_plays',
      title: 'Plays by day (UTC)',
      note: 'Plays per calendar day in UTC; the table adds the users active that day.',
      spec: {
        ...base('Plays by day (UTC)', data.daily_plays.rows, 220),
        mark: { type: 'bar', tooltip: true },
        encoding: { x: dayAxis, y: count('plays', 'Plays (count)') },
      },
    },
    {
      id: 'plays-by-weekday',
      query: 'plays_by_weekday',
      title: 'Plays per day, by weekday (UTC)',
      note: 'Plays on a weekday divided by the number of those weekdays in the data (a month can hold five of some weekdays and four of others); the raw count is in the table.',
      spec: {
        ...base('Plays per day, by weekday (UTC)', data.plays_by_weekday.rows, 220),
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: {
            field: 'weekday_name',
            type: 'nominal',
            title: 'Weekday (UTC)',
            sort: { field: 'weekday', order: 'ascending' },
            axis: { labelAngle: -45 },
          },
          y: { field: 'plays_per_day', type: 'quantitative', title: 'Plays per day of that weekday (mean)' },
        },
      },
    },
    {
      id: 'level-by-day',
      query: 'level_by_day',
      title: 'Free and paid plays by day (UTC)',
      note: "Plays per day in UTC, by the user's level at the time of the play.",
      spec: {
        ...base('Free and paid plays by day (UTC)', data.level_by_day.rows, 220),
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: dayAxis,
          y: { ...count('plays', 'Plays (count, stacked by level)'), stack: 'zero' },
          color: { field: 'level', type: 'nominal', title: 'Level', scale: { domain: ['free', 'paid'], range: ['#9ecae9', '#1f6fb4'] } },
          order: { field: 'level', type: 'nominal' },
        },
      },
    },
    {
      id: 'top-songs',
      query: 'most_played_songs',
      title: 'Most played songs',
      note: 'Plays matched to a song in the catalog; rank as the query gives it (ties share a rank).',
      spec: rankedBars(
        data.most_played_songs,
        'Most played songs',
        (row) => `${rank(row)}${String(row.title)} — ${String(row.artist)}`,
        count('plays', 'Plays (count)'),
        'Rank. Song — artist',
      ),
    },
    {
      id: 'top-artists',
      query: 'most_played_artists',
      title: 'Most played artists',
      note: 'Plays matched to an artist; ties at the limit are all included, with the rank they share.',
      spec: rankedBars(
        data.most_played_artists,
        'Most played artists',
        (row) => `${rank(row)}${String(row.artist)}`,
        count('plays', 'Plays (count)'),
        'Rank. Artist',
      ),
    },
    {
      id: 'top-locations',
      query: 'top_locations',
      title: 'Where listeners are: top locations',
      note: 'Plays by the location the event log gives for the user.',
      spec: rankedBars(
        data.top_locations,
        'Where listeners are: top locations',
        (row) => `${rank(row)}${String(row.location)}`,
        count('plays', 'Plays (count)'),
        'Rank. Location',
      ),
    },
    {
      id: 'recent-loads',
      query: 'recent_loads',
      title: 'Recent loads: time in their transaction',
      note: 'The latest loads from load_history, newest first, with their outcome and the seconds of their transaction (started_at to finished_at), which sparkify load prints beside its total; rows and records are in the table.',
      spec: {
        ...base(
          "Recent loads: seconds in the load's transaction",
          data.recent_loads.rows.map((row, order) => ({ ...row, order })),
          { step: 22 },
        ),
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'load_id', type: 'nominal', title: 'Load (newest first)', sort: { field: 'order', order: 'ascending' } },
          x: { field: 'transaction_seconds', type: 'quantitative', title: 'Seconds in the transaction' },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: 'Outcome',
            scale: { domain: ['succeeded', 'failed', 'running'], range: ['#2e8540', '#c0392b', '#888888'] },
          },
        },
      },
    },
  ];
}
