/**
 * A running mean and variance that forget: exact (Welford) for the first `memory` values, then an
 * exponential average over about `memory` values, so a baseline follows a metric that drifts.
 * Three numbers of state.
 */
export class CappedMoments {
  readonly #memory: number;
  #count = 0;
  #mean = 0;
  #sumOfSquares = 0;

  constructor(memory: number) {
    if (!(memory >= 1)) throw new RangeError(`memory must be at least 1, got ${memory}`);
    this.#memory = memory;
  }

  /** Values seen, uncapped; a caller uses it to tell a baseline still learning. */
  get count(): number {
    return this.#count;
  }

  get mean(): number {
    return this.#mean;
  }

  /** Standard deviation about the mean; NaN before the first value. */
  standardDeviation(): number {
    return Math.sqrt(this.#sumOfSquares / this.#count);
  }

  push(value: number): void {
    this.#count++;
    const delta = value - this.#mean;
    this.#mean += delta / Math.min(this.#count, this.#memory);
    this.#sumOfSquares += delta * (value - this.#mean);
    if (this.#count > this.#memory) this.#sumOfSquares *= (this.#memory - 1) / this.#memory;
  }
}
