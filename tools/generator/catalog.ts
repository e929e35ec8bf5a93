import { fromHundredThousandths } from './json-text';
import { IdMaker } from './msd-ids';
import { artistName, featuringVariant, songTitle } from './names';
import { type Rng, shuffledIndices, WeightedPicker, zipfWeights } from './prng';
import { ARTIST_PLACES, type Place } from './vocab-music';

/** The song catalog (what song_data/ holds), with the quirks of the real one built in. */

export interface CatalogSong {
  readonly trackId: string;
  readonly songId: string;
  readonly title: string;
  /** Seconds, exactly 5 decimals like the real files. */
  readonly duration: number;
  /** 0 means unknown, as in the real files. */
  readonly year: number;
  readonly artistId: string;
  readonly artistName: string;
  readonly artistLocation: string;
  readonly artistLatitude: number | null;
  readonly artistLongitude: number | null;
  /** Index into `duplicateGroups`, or -1. */
  readonly group: number;
}

export type DuplicateKind = 'different-durations' | 'same-duration' | 'same-name-other-artist';

export interface DuplicateGroup {
  readonly kind: DuplicateKind;
  /** Indices into `songs`: all share one title and one artist name. */
  readonly songs: readonly number[];
}

export interface Catalog {
  readonly songs: readonly CatalogSong[];
  readonly artistCount: number;
  readonly duplicateGroups: readonly DuplicateGroup[];
  /** pairKey(title, artist name) of every song: what a play must equal to match. */
  readonly pairs: ReadonlySet<string>;
}

export function pairKey(title: string, artist: string): string {
  return `${title}\u0000${artist}`;
}

interface ArtistPlan {
  readonly id: string;
  name: string;
  readonly place: Place;
  /** Another credit and/or place this id also appears under on some songs. */
  variant: { readonly name: string; readonly place: Place } | null;
  songCount: number;
  firstSong: number;
  inGroup: boolean;
}

const NO_PLACE: Place = { location: '', latitude: null, longitude: null };
const DUPLICATE_KINDS: readonly DuplicateKind[] = ['different-durations', 'same-duration', 'same-name-other-artist'];

function artistPlace(rng: Rng): Place {
  // Nearly half of the real artists have no location at all.
  return rng.chance(0.45) ? NO_PLACE : rng.pick(ARTIST_PLACES);
}

/** Duration in 1e-5 s units: mostly 3-5 minutes, with short skits and long live takes. */
function durationUnits(rng: Rng): number {
  const roll = rng.float();
  let seconds: number;
  if (roll < 0.03) seconds = 20 + rng.float() * 70;
  else if (roll < 0.08) seconds = 400 + rng.float() * 500;
  else seconds = 240 + 60 * rng.normal();
  return Math.round(Math.max(15, seconds) * 100000);
}

function releaseYear(rng: Rng): number {
  if (rng.chance(0.5)) return 0;
  return Math.max(1950, 2010 - Math.floor(Math.abs(rng.normal()) * 15));
}

function planArtists(songCount: number, artistCount: number, rng: Rng, ids: IdMaker): ArtistPlan[] {
  const names = new Set<string>();
  const artists: ArtistPlan[] = [];
  for (let i = 0; i < artistCount; i++) {
    let name = artistName(rng);
    for (let attempt = 0; attempt < 8 && names.has(name); attempt++) name = artistName(rng);
    names.add(name);
    artists.push({ id: ids.artistId(), name, place: artistPlace(rng), variant: null, songCount: 1, firstSong: 0, inGroup: false });
  }
  // Every artist has a song; the rest go to popular artists.
  if (songCount > artistCount) {
    const picker = new WeightedPicker(zipfWeights(artistCount, 2, rng));
    for (let extra = songCount - artistCount; extra > 0; extra--) {
      const artist = artists[picker.pick(rng)];
      if (artist) artist.songCount++;
    }
  }
  let next = 0;
  for (const artist of artists) {
    artist.firstSong = next;
    next += artist.songCount;
  }
  return artists;
}

function addVariants(artists: readonly ArtistPlan[], rng: Rng): void {
  for (const artist of artists) {
    if (artist.songCount < 2 || !rng.chance(0.15)) continue;
    const roll = rng.float();
    const name = roll < 0.8 ? featuringVariant(rng, artist.name) : artist.name;
    let place = artist.place;
    if (roll >= 0.6) {
      place = artist.place.location === '' ? rng.pick(ARTIST_PLACES) : NO_PLACE;
    }
    artist.variant = { name, place };
  }
}

interface GroupPlan {
  readonly kind: DuplicateKind;
  readonly songs: number[];
}

function planDuplicateGroups(songCount: number, artists: readonly ArtistPlan[], rng: Rng): GroupPlan[] {
  const wanted = songCount >= 20 ? Math.max(3, Math.round(songCount / 80)) : 0;
  const groups: GroupPlan[] = [];
  // Walk the artists in a random order; a cursor per need keeps this linear at any scale.
  const order = shuffledIndices(artists.length, rng);
  const cursors = { any: 0, several: 0 };
  const nextFree = (need: 'any' | 'several'): ArtistPlan | undefined => {
    while (cursors[need] < order.length) {
      const artist = artists[order[cursors[need]++] ?? -1];
      if (artist && !artist.inGroup && artist.variant === null && (need === 'any' || artist.songCount >= 2)) {
        artist.inGroup = true;
        return artist;
      }
    }
    return undefined;
  };
  for (let g = 0; g < wanted; g++) {
    const kind = DUPLICATE_KINDS[g % DUPLICATE_KINDS.length] ?? 'different-durations';
    if (kind === 'same-name-other-artist') {
      // Two artist ids under one name (MSD has homonyms): the song match must still pick one.
      const first = nextFree('any');
      const second = nextFree('any');
      if (!first || !second) break;
      second.name = first.name;
      groups.push({ kind, songs: [first.firstSong, second.firstSong] });
    } else {
      const artist = nextFree('several');
      if (!artist) continue;
      const size = kind === 'same-duration' ? 2 : Math.min(artist.songCount, rng.int(2, 3));
      const songs: number[] = [];
      for (let k = 0; k < size; k++) songs.push(artist.firstSong + k);
      groups.push({ kind, songs });
    }
  }
  return groups;
}

export function buildCatalog(songCount: number, artistCount: number, rng: Rng): Catalog {
  const ids = new IdMaker(rng);
  const artists = planArtists(songCount, Math.max(1, Math.min(artistCount, songCount)), rng, ids);
  addVariants(artists, rng);
  const groups = planDuplicateGroups(songCount, artists, rng);
  const groupOf = new Int32Array(songCount).fill(-1);
  groups.forEach((group, g) => group.songs.forEach((song) => (groupOf[song] = g)));

  const pairs = new Set<string>();
  const songs: CatalogSong[] = [];
  const groupTitle: string[] = [];
  const groupDurations: number[][] = groups.map(() => []);
  for (const artist of artists) {
    for (let k = 0; k < artist.songCount; k++) {
      const index = artist.firstSong + k;
      const group = groupOf[index] ?? -1;
      // One song of a variant artist keeps the main credit, one shows the variant, the rest vary.
      const useVariant = artist.variant !== null && (k === 1 || (k > 1 && rng.chance(0.4)));
      const credit = useVariant && artist.variant ? artist.variant : { name: artist.name, place: artist.place };
      let title = group >= 0 ? groupTitle[group] : undefined;
      if (title === undefined) {
        title = songTitle(rng);
        for (let attempt = 0; attempt < 50 && pairs.has(pairKey(title, credit.name)); attempt++) title = songTitle(rng);
        if (group >= 0) groupTitle[group] = title;
      }
      pairs.add(pairKey(title, credit.name));
      let units = durationUnits(rng);
      const taken = group >= 0 ? (groupDurations[group] ?? []) : [];
      const firstUnits = taken[0];
      if (firstUnits !== undefined) {
        if (groups[group]?.kind === 'same-duration') units = firstUnits;
        else {
          do {
            units = Math.max(1500000, firstUnits + (rng.chance(0.5) ? 1 : -1) * rng.int(300000, 6000000));
          } while (taken.includes(units));
        }
      }
      taken.push(units);
      songs.push({
        trackId: ids.trackId(),
        songId: ids.songId(),
        title,
        duration: fromHundredThousandths(units),
        year: releaseYear(rng),
        artistId: artist.id,
        artistName: credit.name,
        artistLocation: credit.place.location,
        artistLatitude: credit.place.latitude,
        artistLongitude: credit.place.longitude,
        group,
      });
    }
  }
  return {
    songs,
    artistCount: artists.length,
    duplicateGroups: groups.map((group) => ({ kind: group.kind, songs: group.songs })),
    pairs,
  };
}
