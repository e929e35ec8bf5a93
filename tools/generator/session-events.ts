import { type Level, type Listener, LOGGED_OUT_JSON } from './listeners';
import type { Play, PlayPicker } from './plays';
import type { Rng } from './prng';

/** One session's events, as log lines: the page flow of a real listening session (login,
 * songs, settings, a logout and back, an upgrade), with timestamps that advance by what the
 * user did (a song's length after NextSong). */

export type Page =
  | 'NextSong'
  | 'Home'
  | 'Login'
  | 'Logout'
  | 'Settings'
  | 'Save Settings'
  | 'Help'
  | 'About'
  | 'Error'
  | 'Upgrade'
  | 'Submit Upgrade'
  | 'Downgrade'
  | 'Submit Downgrade';

/** Method and status per page, as in the real logs. */
const REQUEST: Record<Page, string> = {
  NextSong: '"method":"PUT","page":"NextSong",',
  Home: '"method":"GET","page":"Home",',
  Login: '"method":"PUT","page":"Login",',
  Logout: '"method":"PUT","page":"Logout",',
  Settings: '"method":"GET","page":"Settings",',
  'Save Settings': '"method":"PUT","page":"Save Settings",',
  Help: '"method":"GET","page":"Help",',
  About: '"method":"GET","page":"About",',
  Error: '"method":"GET","page":"Error",',
  Upgrade: '"method":"GET","page":"Upgrade",',
  'Submit Upgrade': '"method":"PUT","page":"Submit Upgrade",',
  Downgrade: '"method":"GET","page":"Downgrade",',
  'Submit Downgrade': '"method":"PUT","page":"Submit Downgrade",',
};

const STATUS: Record<Page, number> = {
  NextSong: 200,
  Home: 200,
  Login: 307,
  Logout: 307,
  Settings: 200,
  'Save Settings': 307,
  Help: 200,
  About: 200,
  Error: 404,
  Upgrade: 200,
  'Submit Upgrade': 307,
  Downgrade: 200,
  'Submit Downgrade': 307,
};

interface Step {
  readonly page: Page;
  readonly loggedIn: boolean;
  readonly level: Level;
  readonly play: Play | null;
}

export interface SessionInput {
  readonly sessionId: number;
  readonly length: number;
  /** null: a visitor who never logs in. */
  readonly listener: Listener | null;
  /** Seconds from the period start. */
  readonly startSecond: number;
  /** Whole seconds available in the period (the last event must start before its end). */
  readonly periodSeconds: number;
  /** Epoch ms of the period start plus the constant ms part every ts carries. */
  readonly tsBase: number;
}

export interface BuiltSession {
  readonly ts: Float64Array;
  readonly lines: string[];
  readonly nextSongs: number;
  readonly matchedPlays: number;
}

/** A logged-in page other than the planned level change. */
function browsePage(level: Level, first: boolean, rng: Rng): Page {
  const roll = rng.float();
  if (first) {
    if (roll < 0.4) return 'Home';
    if (roll < 0.97) return 'NextSong';
    return roll < 0.985 ? 'About' : 'Help';
  }
  if (roll < 0.91) return 'NextSong';
  if (roll < 0.95) return 'Home';
  if (roll < 0.961) return 'Logout';
  if (roll < 0.968) return 'Settings';
  if (roll < 0.974) return 'Help';
  if (roll < 0.978) return 'About';
  if (roll < 0.98) return 'Error';
  if (level === 'free') return roll < 0.985 ? 'Upgrade' : 'NextSong';
  return roll < 0.99 ? 'Downgrade' : 'NextSong';
}

function visitorSteps(length: number, rng: Rng): Step[] {
  const level: Level = rng.chance(0.7) ? 'free' : 'paid';
  const steps: Step[] = [];
  for (let i = 0; i < length; i++) {
    const page: Page = i === 0 ? 'Home' : rng.pick(['Home', 'About', 'Help', 'Login'] as const);
    steps.push({ page, loggedIn: false, level, play: null });
  }
  return steps;
}

function listenerSteps(input: SessionInput, listener: Listener, plays: PlayPicker, rng: Rng): Step[] {
  const length = input.length;
  const steps: Step[] = [];
  let loggedIn = true;
  let fresh = true; // next logged-in page is the first after (re)entering
  // A due upgrade/downgrade happens somewhere inside the first session long enough for it.
  const changeDue = listener.changeAt !== null && input.startSecond >= listener.changeAt && length >= 4;
  const changeFrom = changeDue ? rng.int(1, length - 3) : -1;
  if (length >= 3 && rng.chance(0.08)) {
    if (rng.chance(0.6)) steps.push({ page: 'Home', loggedIn: false, level: listener.level, play: null });
    steps.push({ page: 'Login', loggedIn: false, level: listener.level, play: null });
  }
  while (steps.length < length) {
    const remaining = length - steps.length;
    const level = listener.level;
    if (!loggedIn) {
      // After a logout: the home page, maybe a look around, then usually a new login.
      const previous = steps[steps.length - 1]?.page;
      let page: Page = 'Login';
      if (previous === 'Logout') page = rng.chance(0.85) ? 'Home' : 'Login';
      else if (rng.chance(0.25)) page = rng.pick(['About', 'Help', 'Home'] as const);
      steps.push({ page, loggedIn: false, level, play: null });
      if (page === 'Login') {
        loggedIn = true;
        fresh = true;
      }
      continue;
    }
    if (changeFrom >= 0 && listener.changeAt !== null && steps.length >= changeFrom && remaining >= 2) {
      const upgrade = level === 'free';
      steps.push({ page: upgrade ? 'Upgrade' : 'Downgrade', loggedIn, level, play: null });
      // The submit event still shows the old level; everything after it the new one.
      steps.push({ page: upgrade ? 'Submit Upgrade' : 'Submit Downgrade', loggedIn, level, play: null });
      listener.level = upgrade ? 'paid' : 'free';
      listener.changeAt = null;
      continue;
    }
    const page = browsePage(level, fresh, rng);
    fresh = false;
    steps.push({ page, loggedIn, level, play: page === 'NextSong' ? plays.next() : null });
    if (page === 'Logout') loggedIn = false;
    else if (page === 'Settings' && remaining >= 2 && rng.chance(0.4)) {
      steps.push({ page: 'Save Settings', loggedIn, level, play: null });
    }
  }
  return steps;
}

/** Seconds until the next event. */
function gapAfter(step: Step, rng: Rng): number {
  switch (step.page) {
    case 'NextSong': {
      const heard = Math.floor(step.play?.length ?? 200);
      return rng.chance(0.85) ? heard : rng.int(5, Math.max(5, heard));
    }
    case 'Logout':
      return rng.int(1, 60);
    case 'Login':
      return rng.int(1, 50);
    case 'Home':
      return rng.chance(0.1) ? 0 : rng.int(1, 60);
    case 'Settings':
      return rng.int(0, 40);
    default:
      return rng.int(0, 120);
  }
}

export function buildSession(input: SessionInput, plays: PlayPicker, rng: Rng): BuiltSession {
  const listener = input.listener;
  const steps = listener ? listenerSteps(input, listener, plays, rng) : visitorSteps(input.length, rng);
  const offsets = new Float64Array(steps.length);
  for (let i = 1; i < steps.length; i++) {
    const previous = steps[i - 1];
    const offset = (offsets[i - 1] ?? 0) + (previous ? gapAfter(previous, rng) : 0);
    // A submit follows its Upgrade/Downgrade page one second later, as in the real logs.
    const submit = steps[i]?.page === 'Submit Upgrade' || steps[i]?.page === 'Submit Downgrade';
    offsets[i] = submit ? (offsets[i - 1] ?? 0) + 1 : offset;
  }
  // A session that would run past the period is squeezed to end inside it.
  const last = offsets[offsets.length - 1] ?? 0;
  const available = input.periodSeconds - 1 - input.startSecond;
  if (last > available) {
    for (let i = 0; i < offsets.length; i++) offsets[i] = Math.floor(((offsets[i] ?? 0) * available) / last);
  }
  const ts = new Float64Array(steps.length);
  const lines: string[] = new Array<string>(steps.length);
  let nextSongs = 0;
  let matchedPlays = 0;
  steps.forEach((step, i) => {
    const time = input.tsBase + (input.startSecond + (offsets[i] ?? 0)) * 1000;
    ts[i] = time;
    const user = step.loggedIn && listener ? listener.json : LOGGED_OUT_JSON;
    const play = step.play;
    if (play) {
      nextSongs++;
      if (play.matched) matchedPlays++;
    }
    lines[i] =
      `{"artist":${play ? play.artistJson : 'null'},"auth":"${step.loggedIn ? 'Logged In' : 'Logged Out'}",` +
      `${user.nameAndGender}"itemInSession":${i},${user.lastName}"length":${play ? play.lengthJson : 'null'},` +
      `"level":"${step.level}",${user.location}${REQUEST[step.page]}${user.registration}` +
      `"sessionId":${input.sessionId},"song":${play ? play.songJson : 'null'},"status":${STATUS[step.page]},` +
      `"ts":${time},${user.userAgent}${user.userId}`;
  });
  return { ts, lines, nextSongs, matchedPlays };
}
