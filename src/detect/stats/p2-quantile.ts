import type { StateSlot } from './state-slot.js';

/*
 * Slot layout: [count, q0..q4 (marker heights), n0..n4 (marker positions, 1-based)].
 * Desired positions are not stored: after N observations marker i wants to be at
 * 1 + (N - 1)·dp[i], which saves five numbers per estimator.
 */
const COUNT = 0;
const HEIGHT = 1;
const POSITION = 6;

/**
 * One quantile of a stream in constant memory: the P² algorithm (Jain & Chlamtac, "The P²
 * algorithm for dynamic calculation of quantiles and histograms without storing observations",
 * CACM 1985). Five markers track the minimum, the p/2, p and (1+p)/2 quantiles and the maximum;
 * each observation moves the markers' positions and, when a marker drifts a whole position from
 * where it should be, its height is adjusted by a piecewise-parabolic interpolation.
 *
 * Why P² rather than a t-digest or a buffer: it needs 11 numbers per quantile, so a median and a
 * MAD per entity fit in 176 bytes, and on smooth distributions its error is a small fraction of
 * the spread after a few hundred observations (the tests state the bound). Until five values
 * have been seen it holds them and answers exactly.
 */
export class P2Quantile {
  /** Numbers of state per estimator. */
  static readonly width = 11;

  readonly #p: number;
  readonly #dp: readonly [number, number, number, number, number];

  /** `p` in (0, 1): 0.5 for the median. */
  constructor(p: number) {
    if (!(p > 0 && p < 1)) throw new RangeError(`quantile must be in (0, 1), got ${p}`);
    this.#p = p;
    this.#dp = [0, p / 2, p, (1 + p) / 2, 1];
  }

  get p(): number {
    return this.#p;
  }

  count(slot: StateSlot): number {
    return slot.data[slot.offset + COUNT] ?? 0;
  }

  /** Adds one observation. Non-finite values are ignored: one NaN would stick forever. */
  observe(slot: StateSlot, x: number): void {
    if (!Number.isFinite(x)) return;
    const d = slot.data;
    const o = slot.offset;
    const count = d[o + COUNT] ?? 0;
    if (count < 5) {
      // Insertion into the first `count` heights, kept sorted.
      let i = count;
      while (i > 0 && (d[o + HEIGHT + i - 1] ?? 0) > x) {
        d[o + HEIGHT + i] = d[o + HEIGHT + i - 1] ?? 0;
        i -= 1;
      }
      d[o + HEIGHT + i] = x;
      d[o + COUNT] = count + 1;
      if (count + 1 === 5) for (let m = 0; m < 5; m += 1) d[o + POSITION + m] = m + 1;
      return;
    }
    // The cell the observation falls in; the extremes stretch to take it.
    let k: number;
    if (x < height(d, o, 0)) {
      d[o + HEIGHT] = x;
      k = 0;
    } else if (x >= height(d, o, 4)) {
      d[o + HEIGHT + 4] = x;
      k = 3;
    } else {
      k = 0;
      while (k < 3 && x >= height(d, o, k + 1)) k += 1;
    }
    for (let m = k + 1; m < 5; m += 1) d[o + POSITION + m] = position(d, o, m) + 1;
    const total = count + 1;
    d[o + COUNT] = total;

    for (let m = 1; m <= 3; m += 1) {
      const desired = 1 + (total - 1) * (this.#dp[m] ?? 0);
      const drift = desired - position(d, o, m);
      if ((drift >= 1 && position(d, o, m + 1) - position(d, o, m) > 1) || (drift <= -1 && position(d, o, m - 1) - position(d, o, m) < -1)) {
        const s = drift > 0 ? 1 : -1;
        const parabolic =
          height(d, o, m) +
          (s / (position(d, o, m + 1) - position(d, o, m - 1))) *
            (((position(d, o, m) - position(d, o, m - 1) + s) * (height(d, o, m + 1) - height(d, o, m))) / (position(d, o, m + 1) - position(d, o, m)) +
              ((position(d, o, m + 1) - position(d, o, m) - s) * (height(d, o, m) - height(d, o, m - 1))) / (position(d, o, m) - position(d, o, m - 1)));
        if (height(d, o, m - 1) < parabolic && parabolic < height(d, o, m + 1)) {
          d[o + HEIGHT + m] = parabolic;
        } else {
          // The parabola overshot a neighbour: fall back to linear interpolation toward it.
          d[o + HEIGHT + m] = height(d, o, m) + (s * (height(d, o, m + s) - height(d, o, m))) / (position(d, o, m + s) - position(d, o, m));
        }
        d[o + POSITION + m] = position(d, o, m) + s;
      }
    }
  }

  /** The current estimate; `NaN` before any observation. */
  estimate(slot: StateSlot): number {
    const d = slot.data;
    const o = slot.offset;
    const count = d[o + COUNT] ?? 0;
    if (count === 0) return NaN;
    if (count >= 5) return d[o + HEIGHT + 2] ?? NaN;
    // Exact, by linear interpolation between the held (sorted) values.
    const rank = this.#p * (count - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(lo + 1, count - 1);
    const a = d[o + HEIGHT + lo] ?? NaN;
    const b = d[o + HEIGHT + hi] ?? NaN;
    return a + (b - a) * (rank - lo);
  }
}

// Marker m's height and position in the slot at `o`. Module functions, not closures made in
// `observe`: it runs twice per transaction, and two closures per call were a measurable share of it.
function height(d: Float64Array, o: number, m: number): number {
  return d[o + HEIGHT + m] ?? 0;
}

function position(d: Float64Array, o: number, m: number): number {
  return d[o + POSITION + m] ?? 0;
}
