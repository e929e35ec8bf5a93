import type { Catalog } from './catalog';
import { DayFiles } from './day-files';
import { buildListeners, type Listener } from './listeners';
import { PlayPicker } from './plays';
import { Rng, shuffledIndices, WeightedPicker } from './prng';
import { planSessions } from './session-plan';
import { type BuiltSession, buildSession } from './session-events';

/** The whole log_data/ tree: sessions are built when they start and merged by timestamp, so
 * only the sessions in progress are in memory, whatever the number of events. */

export interface EventLogOptions {
  readonly seed: number;
  readonly events: number;
  readonly users: number;
  readonly days: number;
  readonly matchRate: number;
  /** Epoch ms of the first day's 00:00 UTC. */
  readonly periodStartMs: number;
}

export interface EventLogSummary {
  readonly files: number;
  readonly events: number;
  readonly nextSongEvents: number;
  readonly matchedPlays: number;
  readonly users: number;
  readonly bytes: number;
  /** The highest sessionId written: a later period's sessions continue after it. */
  readonly lastSessionId: number;
  /** userIds (in user order) whose level at the period's end differs from its start. */
  readonly flipped: readonly string[];
}

/** One stretch of days written in one go: the first period, or one added by `--days-after`. */
export interface LogPeriod {
  /** Epoch ms of the period's first day, 00:00 UTC. */
  readonly startMs: number;
  readonly days: number;
  readonly events: number;
  /** sessionId of the period's first session (ids never repeat across periods). */
  readonly firstSessionId: number;
  /** Mutated as sessions run: level changes, when each user is busy. */
  readonly listeners: readonly Listener[];
  readonly plays: PlayPicker;
  /** Session plan, users of sessions and the pages within them. */
  readonly sessionRng: Rng;
  /** The first period gives every user a session (when there are enough), so every user appears. */
  readonly everyUserOnce: boolean;
}

// Every ts and registration in the real logs ends in 796 ms.
const MS_PART = 796;
const PROGRESS_EVERY = 10000;

interface Cursor {
  readonly session: BuiltSession;
  readonly order: number;
  position: number;
}

/** Min-heap of sessions in progress, keyed by (next event ts, session order). */
class CursorHeap {
  private readonly items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Cursor | undefined {
    return this.items[0];
  }

  push(cursor: Cursor): void {
    this.items.push(cursor);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Restores order after the top cursor advanced, dropping it when it is exhausted. */
  advanceTop(): void {
    const top = this.items[0];
    if (!top) return;
    if (top.position >= top.session.ts.length) {
      const last = this.items.pop();
      if (this.items.length === 0 || !last) return;
      this.items[0] = last;
    }
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.items.length && this.less(left, smallest)) smallest = left;
      if (right < this.items.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private key(cursor: Cursor | undefined): number {
    return cursor ? (cursor.session.ts[cursor.position] ?? Infinity) : Infinity;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    const kx = this.key(x);
    const ky = this.key(y);
    return kx < ky || (kx === ky && (x?.order ?? 0) < (y?.order ?? 0));
  }

  private swap(a: number, b: number): void {
    const x = this.items[a];
    const y = this.items[b];
    if (x && y) {
      this.items[a] = y;
      this.items[b] = x;
    }
  }
}

/** A user free at `startMs` if possible (a person rarely runs two sessions at once). */
function chooseListener(listeners: readonly Listener[], picker: WeightedPicker, startMs: number, rng: Rng): Listener {
  for (let attempt = 0; attempt < 8; attempt++) {
    const listener = listeners[picker.pick(rng)];
    if (listener && listener.busyUntil < startMs) return listener;
  }
  let soonest = listeners[0];
  for (const listener of listeners) if (soonest && listener.busyUntil < soonest.busyUntil) soonest = listener;
  if (!soonest) throw new Error('no users');
  return soonest;
}

/** The dataset's users as the first period starts: a later period rebuilds the same ones from the seed. */
export function firstPeriodListeners(options: EventLogOptions): Listener[] {
  return buildListeners(options.users, options.days * 86400, options.periodStartMs + MS_PART, new Rng(options.seed, 3));
}

/** Distinct songs outside the catalog that plays draw on: sized by the first period's options. */
export function playPoolSize(events: number, matchRate: number): number {
  return Math.max(50, Math.min(50000, Math.round(events * 0.6 * (1 - matchRate))));
}

/** The first period: users, plays and sessions from the seed's streams 3, 4 and 5. */
export async function writeEventLog(
  outDir: string,
  options: EventLogOptions,
  catalog: Catalog,
  onProgress?: (done: number) => void,
): Promise<EventLogSummary> {
  const { seed, events, days, matchRate, periodStartMs } = options;
  const listeners = firstPeriodListeners(options);
  const plays = new PlayPicker(catalog, playPoolSize(events, matchRate), matchRate, new Rng(seed, 4));
  const period = {
    startMs: periodStartMs,
    days,
    events,
    firstSessionId: 1,
    listeners,
    plays,
    sessionRng: new Rng(seed, 5),
    everyUserOnce: true,
  };
  return writeLogPeriod(outDir, period, onProgress);
}

/** Writes one file per day of the period (refusing to replace one); sessions merged by ts. */
export async function writeLogPeriod(outDir: string, period: LogPeriod, onProgress?: (done: number) => void): Promise<EventLogSummary> {
  const { events, days, listeners, plays, sessionRng, startMs: periodStartMs } = period;
  const periodSeconds = days * 86400;
  const tsBase = periodStartMs + MS_PART;
  const plan = planSessions(events, days, periodStartMs, sessionRng);
  const sessionCount = plan.lengths.length;

  // Every user gets at least one session (when there are enough), at a random point in time.
  const forced = new Int32Array(sessionCount).fill(-1);
  if (period.everyUserOnce) {
    const order = shuffledIndices(sessionCount, sessionRng);
    for (let u = 0; u < Math.min(listeners.length, sessionCount); u++) forced[order[u] ?? 0] = u;
  }
  const userPicker = listeners.length > 0 ? new WeightedPicker(listeners.map((l) => l.activity)) : null;
  const startLevels = listeners.map((listener) => listener.level);

  const files = new DayFiles(outDir, periodStartMs, days);
  const heap = new CursorHeap();
  let next = 0;
  let written = 0;
  let nextSongEvents = 0;
  let matchedPlays = 0;
  const active = new Set<Listener>();

  const admit = (index: number): void => {
    const length = plan.lengths[index] ?? 1;
    const startSecond = plan.startSeconds[index] ?? 0;
    const startMs = tsBase + startSecond * 1000;
    const forcedUser = forced[index] ?? -1;
    let listener: Listener | null = null;
    if (forcedUser >= 0) listener = listeners[forcedUser] ?? null;
    else if (userPicker && !(length <= 3 && sessionRng.chance(0.2))) {
      listener = chooseListener(listeners, userPicker, startMs, sessionRng);
    }
    const sessionId = period.firstSessionId + index;
    const session = buildSession({ sessionId, length, listener, startSecond, periodSeconds, tsBase }, plays, sessionRng);
    if (listener) {
      listener.busyUntil = session.ts[session.ts.length - 1] ?? startMs;
      listener.sessions++;
      active.add(listener);
    }
    nextSongEvents += session.nextSongs;
    matchedPlays += session.matchedPlays;
    heap.push({ session, order: index, position: 0 });
  };

  for (;;) {
    // Start every session that begins no later than the earliest pending event.
    while (next < sessionCount) {
      const top = heap.peek();
      const startMs = tsBase + (plan.startSeconds[next] ?? 0) * 1000;
      if (top && startMs > (top.session.ts[top.position] ?? Infinity)) break;
      admit(next++);
    }
    const top = heap.peek();
    if (!top) break;
    const pending = files.write(top.session.ts[top.position] ?? 0, top.session.lines[top.position] ?? '');
    top.position++;
    heap.advanceTop();
    if (pending) await pending;
    written++;
    if (onProgress && written % PROGRESS_EVERY === 0) onProgress(written);
  }
  await files.close();
  if (onProgress && (written === 0 || written % PROGRESS_EVERY !== 0)) onProgress(written);
  return {
    files: files.files,
    events: written,
    nextSongEvents,
    matchedPlays,
    users: active.size,
    bytes: files.bytes,
    lastSessionId: period.firstSessionId + sessionCount - 1,
    flipped: listeners.filter((listener, i) => listener.level !== startLevels[i]).map((listener) => listener.userId),
  };
}
