import { P2Quantile } from './p2-quantile.js';
import type { StateSlot } from './state-slot.js';

/** 1/Φ⁻¹(3/4): scales a MAD to the standard deviation of a normal distribution. */
export const madToSigma = 1.4826;

const median = new P2Quantile(0.5);

/**
 * A robust location and scale of a stream: its median and its MAD (median absolute deviation),
 * each tracked by a P² estimator, in 22 numbers.
 *
 * The MAD is the median of |x − m|; a stream cannot know the final median m, so each deviation
 * is taken from the median estimate current at that observation. Early deviations are measured
 * from a moving centre, which biases the MAD slightly while the median settles; on the tests'
 * distributions the bias is gone within a few hundred observations.
 *
 * Why median and MAD and not mean and standard deviation: one exploit-sized transfer moves a
 * mean and inflates a standard deviation enough to hide the next one; it moves a median by at
 * most one rank.
 */
export class RobustBaseline {
  static readonly width = 2 * P2Quantile.width;

  readonly #scratch: StateSlot = { data: new Float64Array(0), offset: 0 };

  #at(slot: StateSlot, part: 0 | 1): StateSlot {
    this.#scratch.data = slot.data;
    this.#scratch.offset = slot.offset + part * P2Quantile.width;
    return this.#scratch;
  }

  count(slot: StateSlot): number {
    return median.count(this.#at(slot, 0));
  }

  median(slot: StateSlot): number {
    return median.estimate(this.#at(slot, 0));
  }

  /** The raw MAD; multiply by `madToSigma` for a normal-consistent scale. */
  mad(slot: StateSlot): number {
    return median.estimate(this.#at(slot, 1));
  }

  observe(slot: StateSlot, x: number): void {
    if (!Number.isFinite(x)) return;
    median.observe(this.#at(slot, 0), x);
    const m = median.estimate(this.#at(slot, 0));
    median.observe(this.#at(slot, 1), Math.abs(x - m));
  }

  /**
   * (x − median) / max(1.4826·MAD, minScale): how many robust standard deviations x is from the
   * middle. `minScale` keeps a sender who always moves the same amount (MAD 0) from making every
   * other amount infinitely surprising. `NaN` before any observation.
   */
  zScore(slot: StateSlot, x: number, minScale: number): number {
    const scale = Math.max(madToSigma * this.mad(slot), minScale);
    return (x - this.median(slot)) / scale;
  }
}
