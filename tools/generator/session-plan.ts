import type { Rng } from './prng';

/** How many sessions, how long each, and when each starts: exact total event count, start
 * times sorted and shaped by day and hour like real listening. */

export interface SessionPlan {
  /** Events per session; sums to exactly the requested number of events. */
  readonly lengths: Int32Array;
  /** Start of each session in whole seconds from the period start, non-decreasing. */
  readonly startSeconds: Float64Array;
}

// [shortest, longest, weight]: many one-page visits, a long tail of listening sessions.
const LENGTH_BUCKETS: readonly (readonly [number, number, number])[] = [
  [1, 1, 0.25],
  [2, 3, 0.2],
  [4, 8, 0.22],
  [9, 20, 0.19],
  [21, 50, 0.11],
  [51, 100, 0.03],
];

// Relative activity by UTC hour: US listeners, busiest in the US afternoon and evening.
const HOUR_SHAPE = [7, 6, 5, 4, 3, 2, 1.5, 1, 1, 1, 1.5, 2, 3, 4, 5, 6, 6.5, 7, 7.5, 8, 8, 8, 7.5, 7];

function sessionLength(rng: Rng): number {
  let roll = rng.float();
  for (const [shortest, longest, weight] of LENGTH_BUCKETS) {
    if (roll < weight) return rng.int(shortest, longest);
    roll -= weight;
  }
  return 1;
}

function lengths(events: number, rng: Rng): Int32Array {
  const out: number[] = [];
  for (let remaining = events; remaining > 0;) {
    const length = Math.min(sessionLength(rng), remaining);
    out.push(length);
    remaining -= length;
  }
  return Int32Array.from(out);
}

/** Cumulative activity weight at the end of each hour of the period. */
function hourlyCumulative(days: number, periodStartMs: number, rng: Rng): Float64Array {
  const cumulative = new Float64Array(days * 24);
  let total = 0;
  for (let day = 0; day < days; day++) {
    const weekday = new Date(periodStartMs + day * 86400000).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const dayFactor = (0.6 + 0.8 * rng.float()) * (weekend ? 0.75 : 1);
    for (let hour = 0; hour < 24; hour++) {
      total += dayFactor * (HOUR_SHAPE[hour] ?? 1);
      cumulative[day * 24 + hour] = total;
    }
  }
  return cumulative;
}

export function planSessions(events: number, days: number, periodStartMs: number, rng: Rng): SessionPlan {
  const sessionLengths = lengths(events, rng);
  const count = sessionLengths.length;
  const cumulative = hourlyCumulative(days, periodStartMs, rng);
  const total = cumulative[cumulative.length - 1] ?? 1;
  const lastSecond = days * 86400 - 1;
  const startSeconds = new Float64Array(count);
  // Stratified points through the inverse of the cumulative weight: sorted by construction.
  let hour = 0;
  for (let k = 0; k < count; k++) {
    const target = ((k + rng.float()) / count) * total;
    while (hour < cumulative.length - 1 && (cumulative[hour] ?? 0) <= target) hour++;
    const hourEnd = cumulative[hour] ?? total;
    const hourStart = hour > 0 ? (cumulative[hour - 1] ?? 0) : 0;
    const within = hourEnd > hourStart ? (target - hourStart) / (hourEnd - hourStart) : 0;
    const second = Math.min(lastSecond, hour * 3600 + Math.floor(within * 3600));
    startSeconds[k] = Math.max(second, k > 0 ? (startSeconds[k - 1] ?? 0) : 0);
  }
  return { lengths: sessionLengths, startSeconds };
}
