import type { Rng } from './prng';

/** Identifiers shaped like the Million Song Dataset's 18-character ids. */

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

// Observed id tails; the rest is filled with hex digits up to 18 characters.
const ARTIST_TAILS = ['1187B9', '1187FB', '1187B9', '1187FB', '1241B9', '122988F', '11E28', '1269FB'];
const SONG_TAILS = ['12A8C1', '12AB01', '12A6D4', '12A58A', '12AF72', '12AC46', '12A8AE'];
const TRACK_TAILS = ['128F9', '128F4', '12903C', '128E0', '128F1', '12903CD'];

function chars(rng: Rng, alphabet: string, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet.charAt(Math.floor(rng.float() * alphabet.length));
  return out;
}

function withTail(rng: Rng, head: string, tails: readonly string[]): string {
  const tail = rng.pick(tails);
  return head + tail + chars(rng, HEX, 18 - head.length - tail.length);
}

/** Draws ids until one is new, so every id is unique within a dataset. */
export class IdMaker {
  private readonly seen = new Set<string>();

  constructor(private readonly rng: Rng) {}

  artistId(): string {
    return this.unique(() => withTail(this.rng, `AR${chars(this.rng, ALNUM, 5)}`, ARTIST_TAILS));
  }

  songId(): string {
    return this.unique(() => withTail(this.rng, `SO${chars(this.rng, LETTERS, 5)}`, SONG_TAILS));
  }

  /** Track ids name the song files; their 3rd-5th characters pick the folder (A or B, like the bucket). */
  trackId(): string {
    return this.unique(() => withTail(this.rng, `TR${chars(this.rng, 'AB', 1)}${chars(this.rng, LETTERS, 4)}`, TRACK_TAILS));
  }

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/** `song_data/<c3>/<c4>/<c5>` for a track id: the bucket's layout. */
export function songFolder(trackId: string): string {
  return `song_data/${trackId.charAt(2)}/${trackId.charAt(3)}/${trackId.charAt(4)}`;
}
