import type { StateSlot } from './state-slot.js';

/* Slot layout: [weight, mean, m2 (weighted sum of squared deviations), time of the last observation]. */
const WEIGHT = 0;
const MEAN = 1;
const M2 = 2;
const TIME = 3;

export interface EwmaOptions {
  /** Event time after which an observation's weight has halved. */
  readonly halfLifeMs: number;
}

/**
 * Exponentially weighted mean and variance with a half-life in event time.
 *
 * Transactions arrive at irregular times, so the decay is by elapsed time, not by count: before
 * an observation at time t, every earlier weight is multiplied by 2^(−Δt / halfLife), and the new
 * observation gets weight 1. The mean and variance are then exactly the weighted mean and the
 * weighted (population) variance of all observations with those weights. They are updated with
 * West's weighted recurrence (West 1979) rather than from sums of x and x², which lose every
 * digit when the variance is small next to the mean.
 *
 * An observation older than the last one (late data) is counted as if it arrived at the last
 * time: it never makes the past heavier.
 */
export class Ewma {
  static readonly width = 4;

  readonly #halfLifeMs: number;

  constructor(options: EwmaOptions) {
    if (!(options.halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive, got ${options.halfLifeMs}`);
    this.#halfLifeMs = options.halfLifeMs;
  }

  observe(slot: StateSlot, sample: { readonly value: number; readonly time: number }): void {
    const x = sample.value;
    if (!Number.isFinite(x)) return;
    const d = slot.data;
    const o = slot.offset;
    const weight = d[o + WEIGHT] ?? 0;
    if (weight === 0) {
      d[o + WEIGHT] = 1;
      d[o + MEAN] = x;
      d[o + M2] = 0;
      d[o + TIME] = sample.time;
      return;
    }
    const last = d[o + TIME] ?? sample.time;
    const elapsed = Math.max(0, sample.time - last);
    const decay = Math.pow(2, -elapsed / this.#halfLifeMs);
    const mean = d[o + MEAN] ?? 0;
    const w = weight * decay + 1;
    const delta = x - mean;
    const next = mean + delta / w;
    d[o + WEIGHT] = w;
    d[o + MEAN] = next;
    d[o + M2] = (d[o + M2] ?? 0) * decay + delta * (x - next);
    d[o + TIME] = Math.max(last, sample.time);
  }

  /** Total weight: 1 after one observation, approaching halfLife/(Δt·ln 2) at a steady rate. */
  weight(slot: StateSlot): number {
    return slot.data[slot.offset + WEIGHT] ?? 0;
  }

  /** `NaN` before any observation. */
  mean(slot: StateSlot): number {
    return this.weight(slot) === 0 ? NaN : (slot.data[slot.offset + MEAN] ?? NaN);
  }

  /** Weighted population variance; `NaN` before any observation. */
  variance(slot: StateSlot): number {
    const w = this.weight(slot);
    if (w === 0) return NaN;
    return Math.max(0, (slot.data[slot.offset + M2] ?? 0) / w);
  }
}
