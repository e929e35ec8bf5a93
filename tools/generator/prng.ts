/**
 * Seeded pseudo-random numbers that are bit-identical on every machine: only 32-bit integer
 * arithmetic and IEEE add/multiply/divide, never Math.random or transcendental functions
 * (whose last bits may differ between engines).
 */

/** splitmix32: spreads a seed into well-mixed state words. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** sfc32 generator. Independent `stream`s of one seed feed independent concerns, so that e.g. the
 * catalog stays the same when only the number of events changes. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    const base = mix32(low ^ mix32(high ^ mix32(stream)));
    this.a = mix32(base);
    this.b = mix32(base ^ 0x5bd1e995);
    this.c = mix32(base ^ 0x1b873593);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Approximately standard normal (Irwin-Hall, 12 uniforms): arithmetic only, so portable. */
  normal(): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.float();
    return sum - 6;
  }
}

/** Index sampling proportional to fixed weights (cumulative sums + binary search). */
export class WeightedPicker {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    if (weights.length === 0) throw new RangeError('WeightedPicker needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i] ?? 0;
      this.cumulative[i] = total;
    }
    if (!(total > 0)) throw new RangeError('WeightedPicker needs a positive total weight');
  }

  get size(): number {
    return this.cumulative.length;
  }

  pick(rng: Rng): number {
    const cumulative = this.cumulative;
    const target = rng.float() * (cumulative[cumulative.length - 1] ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** Zipf-like popularity: a random rank per item, weight 1 / (rank + offset). */
export function zipfWeights(count: number, offset: number, rng: Rng): Float64Array {
  const ranks = shuffledIndices(count, rng);
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) weights[i] = 1 / ((ranks[i] ?? 0) + offset);
  return weights;
}

/** A random permutation of 0..count-1 (Fisher-Yates). */
export function shuffledIndices(count: number, rng: Rng): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order;
}

/**
 * The stream `stream` of a later period that starts on day `firstDay` (0 = the dataset's first day):
 * `generate --days-after` draws a period's sessions, plays and level changes from these, so a period
 * depends on where it starts, never on the streams the first period used up. The stream numbers
 * never meet the first period's (1 to 5): the period's start day sits above bit 16.
 */
export function periodRng(seed: number, stream: number, firstDay: number): Rng {
  if (!(Number.isInteger(firstDay) && firstDay >= 1 && firstDay < 0x8000)) {
    throw new RangeError(`a later period starts on day 1 to 32767, got ${firstDay}`);
  }
  return new Rng(seed, (firstDay << 16) | (stream & 0xffff) | 0);
}
