import { InvalidArgumentError } from 'commander';

/**
 * A whole-number argument of `sparkify generate` from 1 to `max`: Commander's message names the
 * option and the value; this adds the range and why.
 */
export function countArgument(flag: string, limit: { readonly max: number; readonly why: string }): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!(Number.isSafeInteger(n) && n >= 1 && n <= limit.max)) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${limit.max.toLocaleString('en-US')} (${limit.why}).`);
    }
    return n;
  };
}

/** The options that define a dataset: --days-after takes them from generator.json instead. */
const DATASET_FLAGS: Readonly<Record<string, string>> = {
  seed: '--seed',
  songs: '--songs',
  artists: '--artists',
  users: '--users',
  events: '--events',
  days: '--days',
  matchRate: '--match-rate',
};

/** The dataset options typed on the command line (not defaults), by flag. */
export function givenDatasetFlags(source: (key: string) => string | undefined): string[] {
  return Object.entries(DATASET_FLAGS)
    .filter(([key]) => source(key) === 'cli')
    .map(([, flag]) => flag);
}

export const DAYS_AFTER_HELP = `
Adding days (--days-after N):
  Reads <out>/generator.json (written by every generate), checks that the song files are what its
  options make, and writes only the day files after the dataset's last day, never replacing one;
  then updates generator.json.
  Same songs and users (ids, names, genders; levels as they stand), later dates; session ids
  continue after the last one. --seed, --songs, --artists, --users, --events, --days and
  --match-rate come from generator.json and cannot be given. The same commands in the same order
  always write the same bytes; adding 5 days at once writes other data than adding 2 then 3.`;
