import type { Rng } from './prng';
import {
  ARTIST_FIRST_NAMES,
  ARTIST_LAST_NAMES,
  ARTIST_PREFIXES,
  ARTIST_SINGLE_WORDS,
  BAND_NOUNS,
  ENSEMBLE_SUFFIXES,
  FEATURING_FORMS,
  TITLE_ADJECTIVES,
  TITLE_NOUNS,
  TITLE_SUFFIXES,
  TITLE_VERBS,
} from './vocab-music';

/** Song titles and artist names composed from the embedded word lists. */

function baseTitle(rng: Rng): string {
  const adjective = rng.pick(TITLE_ADJECTIVES);
  const noun = rng.pick(TITLE_NOUNS);
  const verb = rng.pick(TITLE_VERBS);
  const roll = rng.float();
  if (roll < 0.3) return `${adjective} ${noun}`;
  if (roll < 0.38) return noun;
  if (roll < 0.46) return `The ${adjective} ${noun}`;
  if (roll < 0.52) return `${verb} Me`;
  if (roll < 0.58) return `${verb} My ${noun}`;
  if (roll < 0.63) return `Don't ${verb} My ${noun}`;
  if (roll < 0.68) return `I ${verb} You`;
  if (roll < 0.73) return `When the ${noun} Comes`;
  if (roll < 0.78) return `${noun} of the ${rng.pick(TITLE_NOUNS)}`;
  if (roll < 0.83) return `Take Me to the ${noun}`;
  if (roll < 0.87) return `${adjective} ${noun} Blues`;
  if (roll < 0.9) return `Keepin It ${adjective}`;
  if (roll < 0.93) return `${verb} the ${adjective} ${noun}`;
  if (roll < 0.96) return `${noun} In A ${rng.pick(TITLE_NOUNS)}`;
  // Slashes and quotes: escaped differently in song files and log files.
  if (roll < 0.98) return `${adjective} ${noun} / ${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(TITLE_NOUNS)}`;
  return `${noun} (Parody of "${adjective} ${rng.pick(TITLE_NOUNS)}")`;
}

export function songTitle(rng: Rng): string {
  const title = baseTitle(rng);
  return rng.chance(0.22) ? title + rng.pick(TITLE_SUFFIXES) : title;
}

function personName(rng: Rng): string {
  return `${rng.pick(ARTIST_FIRST_NAMES)} ${rng.pick(ARTIST_LAST_NAMES)}`;
}

export function artistName(rng: Rng): string {
  const roll = rng.float();
  if (roll < 0.35) return personName(rng);
  if (roll < 0.5) return `The ${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(BAND_NOUNS)}`;
  if (roll < 0.58) return `${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(BAND_NOUNS)}`;
  if (roll < 0.63) return `${personName(rng)} & The ${rng.pick(BAND_NOUNS)}`;
  if (roll < 0.69) return `${rng.pick(ARTIST_PREFIXES)} ${rng.pick(TITLE_NOUNS)}`;
  if (roll < 0.75) return rng.pick(ARTIST_SINGLE_WORDS);
  if (roll < 0.83) return `${rng.pick(ARTIST_LAST_NAMES)} ${rng.pick(ENSEMBLE_SUFFIXES)}`;
  // MSD joins collaborators with ";".
  if (roll < 0.86) return `${personName(rng)};${personName(rng)}`;
  if (roll < 0.96) return `${rng.pick(TITLE_NOUNS)} ${rng.pick(TITLE_NOUNS)}`;
  return `${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(TITLE_NOUNS)} ${rng.pick(ENSEMBLE_SUFFIXES)}`;
}

/** "X feat. Y" and friends: how one artist id gets several names. */
export function featuringVariant(rng: Rng, name: string): string {
  const form = rng.pick(FEATURING_FORMS);
  const guest = personName(rng);
  return form === ' (Featuring ' ? `${name}${form}${guest})` : `${name}${form}${guest}`;
}
