/**
 * The Provider framework calls isComplete at a fixed interval for as long as the load runs; a
 * DescribeStatement on every call is one API call per interval. isComplete keeps no state between
 * calls, so when to look is a pure function of the time since the batch was submitted: at once,
 * then after gaps that double from the poll interval up to a cap. A long load is then checked about
 * once a minute, and its end is noticed at most one gap late.
 */

/** The longest gap between two checks: four poll intervals, and at least a minute. */
export function maxCheckGapMs(intervalMs: number): number {
  return Math.max(4 * intervalMs, 60_000);
}

/** The checks due by `elapsedMs` on the schedule: at 0, 1, 3, 7 ... intervals, then every cap. */
export function checksDue(elapsedMs: number, intervalMs: number): number {
  if (elapsedMs < 0) return 0;
  const cap = maxCheckGapMs(intervalMs);
  let at = 0;
  let gap = intervalMs;
  let due = 1;
  while (gap < cap) {
    if (at + gap > elapsedMs) return due;
    at += gap;
    due += 1;
    gap *= 2;
  }
  return due + Math.floor((elapsedMs - at) / cap);
}

/**
 * Whether the poll at `elapsedMs` should ask the Data API: when a check fell due since the previous
 * poll, an interval earlier. The schedule runs half an interval ahead of the polls, so every check
 * falls mid-way between two polls: the look-back can then reach a tenth further (polls arrive a
 * little later than the interval) without a check being made twice or skipped.
 */
export function shouldCheck(elapsedMs: number, intervalMs: number): boolean {
  if (!(intervalMs > 0) || !(elapsedMs >= 0)) return true;
  const shifted = elapsedMs + intervalMs / 2;
  return checksDue(shifted, intervalMs) > checksDue(shifted - 1.1 * intervalMs, intervalMs);
}

/** How long after `elapsedMs` the next check falls due, for the poll's log line. */
export function nextCheckInMs(elapsedMs: number, intervalMs: number): number {
  const shifted = elapsedMs + intervalMs / 2;
  const due = checksDue(shifted, intervalMs);
  let low = shifted;
  let high = shifted + maxCheckGapMs(intervalMs);
  // checksDue is a step function of time: find the step by bisection.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (checksDue(mid, intervalMs) > due) high = mid;
    else low = mid;
  }
  return Math.round(high - shifted);
}
