import { type Catalog, pairKey } from './catalog';
import { logString, mojibake, pyFloat } from './json-text';
import { artistName, songTitle } from './names';
import { type Rng, WeightedPicker, zipfWeights } from './prng';

/** What each NextSong event played: a catalog song (title, artist name and usually length
 * exactly as in its song file) at `matchRate`, otherwise a song the catalog does not have. */

export interface Play {
  /** JSON string literals, log dialect. */
  readonly artistJson: string;
  readonly songJson: string;
  /** Seconds (5 decimals). */
  readonly length: number;
  /** `length` as the log writes it. */
  readonly lengthJson: string;
  readonly matched: boolean;
}

// Songs that share a title and artist name get this share of the matched plays, at any scale,
// so the "same duration, else closest, else smallest song_id" rule is always exercised.
const DUPLICATE_PLAY_SHARE = 0.1;
const NON_ASCII = /[\u0080-\uffff]/;

function unitsOf(seconds: number): number {
  return Math.round(seconds * 100000);
}

/** A length close to, but different from, every one of `durations` (units of 1e-5 s). */
function nearMiss(durationUnits: number, others: readonly number[], rng: Rng): number {
  for (;;) {
    const units = Math.max(1000000, durationUnits + (rng.chance(0.5) ? 1 : -1) * rng.int(50000, 1200000));
    if (!others.includes(units)) return units / 100000;
  }
}

export class PlayPicker {
  private readonly catalogPicker: WeightedPicker;
  private readonly poolPicker: WeightedPicker;
  private readonly pool: Play[];
  private readonly artistJson: (string | undefined)[];
  private readonly songJson: (string | undefined)[];
  private readonly durationJson: (string | undefined)[];
  private readonly groupUnits: number[][];

  constructor(
    private readonly catalog: Catalog,
    poolSize: number,
    private readonly matchRate: number,
    private readonly rng: Rng,
    /** Draws the plays; `rng` alone builds the pool and popularity, so a later period keeps them. */
    private readonly pickRng: Rng = rng,
  ) {
    const songs = catalog.songs;
    const weights = zipfWeights(songs.length, 10, rng);
    const grouped = songs.filter((song) => song.group >= 0).length;
    if (grouped > 0 && grouped < songs.length) {
      let others = 0;
      songs.forEach((song, i) => (others += song.group >= 0 ? 0 : (weights[i] ?? 0)));
      const each = (others * DUPLICATE_PLAY_SHARE) / (1 - DUPLICATE_PLAY_SHARE) / grouped;
      songs.forEach((song, i) => {
        if (song.group >= 0) weights[i] = each;
      });
    }
    this.catalogPicker = new WeightedPicker(weights);
    this.groupUnits = catalog.duplicateGroups.map((group) => group.songs.map((index) => unitsOf(songs[index]?.duration ?? 0)));
    this.artistJson = new Array<string | undefined>(songs.length);
    this.songJson = new Array<string | undefined>(songs.length);
    this.durationJson = new Array<string | undefined>(songs.length);
    this.pool = this.buildPool(Math.max(1, poolSize));
    this.poolPicker = new WeightedPicker(zipfWeights(this.pool.length, 3, rng));
  }

  next(): Play {
    const rng = this.pickRng;
    if (rng.float() < this.matchRate) {
      const index = this.catalogPicker.pick(rng);
      const song = this.catalog.songs[index];
      if (!song) throw new Error(`no catalog song ${index}`);
      const units = unitsOf(song.duration);
      let length = song.duration;
      if (song.group >= 0) {
        if (rng.chance(0.35)) length = nearMiss(units, this.groupUnits[song.group] ?? [], rng);
      } else if (rng.chance(0.05)) {
        length = nearMiss(units, [units], rng);
      }
      const artistJson = (this.artistJson[index] ??= logString(song.artistName));
      const songJson = (this.songJson[index] ??= logString(song.title));
      const lengthJson = length === song.duration ? (this.durationJson[index] ??= pyFloat(length)) : pyFloat(length);
      return { artistJson, songJson, length, lengthJson, matched: true };
    }
    const entry = this.pool[this.poolPicker.pick(rng)];
    if (!entry) throw new Error('empty play pool');
    return entry;
  }

  /** Songs outside the catalog, including near misses: a catalog title by another artist, a
   * catalog artist with another title, and accented catalog songs spelled double-encoded. */
  private buildPool(size: number): Play[] {
    const rng = this.rng;
    const songs = this.catalog.songs;
    const accented = songs.filter((song) => NON_ASCII.test(song.title) || NON_ASCII.test(song.artistName));
    const seen = new Set<string>();
    const pool: Play[] = [];
    while (pool.length < size) {
      const roll = rng.float();
      const known = rng.pick(songs);
      let title = songTitle(rng);
      let artist = artistName(rng);
      if (roll < 0.03) title = known.title;
      else if (roll < 0.06) artist = known.artistName;
      else if (roll < 0.07 && accented.length > 0) {
        const source = rng.pick(accented);
        title = source.title;
        artist = source.artistName;
      }
      // The real logs carry every accent double-encoded; only catalog matches keep the proper spelling.
      title = mojibake(title);
      artist = mojibake(artist);
      const key = pairKey(title, artist);
      if (this.catalog.pairs.has(key) || seen.has(key)) continue;
      seen.add(key);
      const length = Math.round(Math.max(15, 240 + 65 * rng.normal()) * 100000) / 100000;
      pool.push({ artistJson: logString(artist), songJson: logString(title), length, lengthJson: pyFloat(length), matched: false });
    }
    return pool;
  }
}
