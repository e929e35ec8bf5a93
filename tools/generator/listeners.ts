import { logString, pyFloat } from './json-text';
import type { Rng } from './prng';
import { FEMALE_FIRST_NAMES, LAST_NAMES, LISTENER_LOCATIONS, MALE_FIRST_NAMES, USER_AGENTS } from './vocab-listeners';

/** The app's identified users: profile, subscription level over time, and the log text of
 * their constant fields (built once, reused on every event). */

export type Level = 'free' | 'paid';

/** Log-text fragments of the user fields, in key order, each with its trailing comma. */
export interface ListenerJson {
  /** `"firstName":…,"gender":…,` */
  readonly nameAndGender: string;
  /** `"lastName":…,` */
  readonly lastName: string;
  /** `"location":…,` */
  readonly location: string;
  /** `"registration":…,` */
  readonly registration: string;
  /** `"userAgent":…,` */
  readonly userAgent: string;
  /** `"userId":…}` (closes the object) */
  readonly userId: string;
}

export interface Listener {
  readonly userId: string;
  readonly json: ListenerJson;
  /** Relative share of sessions. */
  readonly activity: number;
  level: Level;
  /** Period second from which this user's next session submits an upgrade/downgrade, or null. */
  changeAt: number | null;
  /** Epoch ms when the user's latest session ends (to avoid overlapping sessions). */
  busyUntil: number;
  sessions: number;
}

/** Logged-out events: every user field is null and userId is "". */
export const LOGGED_OUT_JSON: ListenerJson = {
  nameAndGender: '"firstName":null,"gender":null,',
  lastName: '"lastName":null,',
  location: '"location":null,',
  registration: '"registration":null,',
  userAgent: '"userAgent":null,',
  userId: '"userId":""}',
};

/** Skewed towards the start of a list: a few common values, a long tail. */
function pickSkewed<T>(items: readonly T[], rng: Rng): T {
  const u = rng.float();
  const item = items[Math.floor(u * u * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

const ACTIVITY = [0.5, 0.8, 1, 1, 1.3, 1.6, 2, 3];
/** Chance that a user changes level within a period: free users upgrade more than paid ones downgrade. */
const CHANGE_CHANCE: Record<Level, number> = { free: 0.25, paid: 0.08 };

/** Log text of shared values, built once: many users share an agent or a location. */
function fragments(key: string, values: readonly string[]): Map<string, string> {
  return new Map(values.map((value) => [value, `"${key}":${logString(value)},`]));
}

export function buildListeners(count: number, periodSeconds: number, periodStartMs: number, rng: Rng): Listener[] {
  const locations = fragments('location', LISTENER_LOCATIONS);
  const agents = fragments('userAgent', USER_AGENTS);
  const listeners: Listener[] = [];
  let nextId = 2;
  for (let i = 0; i < count; i++) {
    const female = rng.chance(0.55);
    const firstName = rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
    const level: Level = rng.chance(0.5) ? 'paid' : 'free';
    // Registered within the two months before the period; the ms part matches ts (…796).
    const registration = periodStartMs - rng.int(3600, 60 * 86400) * 1000;
    const userId = String(nextId);
    nextId += rng.chance(0.04) ? 2 : 1; // the real ids have gaps
    const changes = rng.chance(CHANGE_CHANCE[level]);
    listeners.push({
      userId,
      json: {
        nameAndGender: `"firstName":${logString(firstName)},"gender":"${female ? 'F' : 'M'}",`,
        lastName: `"lastName":${logString(rng.pick(LAST_NAMES))},`,
        location: locations.get(pickSkewed(LISTENER_LOCATIONS, rng)) ?? '',
        registration: `"registration":${pyFloat(registration)},`,
        userAgent: agents.get(pickSkewed(USER_AGENTS, rng)) ?? '',
        userId: `"userId":${logString(userId)}}`,
      },
      activity: rng.pick(ACTIVITY) * (level === 'paid' ? 2 : 1),
      level,
      changeAt: changes ? changeSecond(periodSeconds, rng) : null,
      busyUntil: 0,
      sessions: 0,
    });
  }
  ensureBothChanges(listeners, periodSeconds, rng);
  return listeners;
}

/** Always some level history: at least one upgrade and one downgrade when there are both kinds. */
function ensureBothChanges(listeners: readonly Listener[], periodSeconds: number, rng: Rng): void {
  for (const from of ['free', 'paid'] as const) {
    const candidates = listeners.filter((listener) => listener.level === from);
    if (candidates.length > 0 && candidates.every((listener) => listener.changeAt === null)) {
      const chosen = candidates[0];
      if (chosen) chosen.changeAt = changeSecond(periodSeconds, rng);
    }
  }
}

/**
 * A later period's level changes (`generate --days-after`): each user, at the level they reached,
 * upgrades or downgrades with the same chances as in the first period, at a second of this period.
 */
export function scheduleLevelChanges(listeners: readonly Listener[], periodSeconds: number, rng: Rng): void {
  for (const listener of listeners) {
    listener.changeAt = rng.chance(CHANGE_CHANCE[listener.level]) ? changeSecond(periodSeconds, rng) : null;
  }
  ensureBothChanges(listeners, periodSeconds, rng);
}

function changeSecond(periodSeconds: number, rng: Rng): number {
  return Math.floor(periodSeconds * (0.1 + 0.5 * rng.float()));
}
