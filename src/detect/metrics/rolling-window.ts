/**
 * The last `capacity` numbers of a stream with their mean and standard deviation in O(1) per
 * step: running sums in, the oldest value out. Memory is fixed at construction, which is what
 * lets a detector run for months on one metric.
 */
export class RollingWindow {
  readonly #values: Float64Array;
  #size = 0;
  #next = 0;
  #sum = 0;
  #sumOfSquares = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#values = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.#values.length;
  }

  /** How many values the window holds: grows to `capacity`, then stays. */
  get size(): number {
    return this.#size;
  }

  push(value: number): void {
    const capacity = this.#values.length;
    if (this.#size === capacity) {
      const oldest = this.#values[this.#next] ?? 0;
      this.#sum -= oldest;
      this.#sumOfSquares -= oldest * oldest;
    }
    this.#values[this.#next] = value;
    this.#sum += value;
    this.#sumOfSquares += value * value;
    this.#next = (this.#next + 1) % capacity;
    if (this.#size < capacity) this.#size++;
  }

  /** Mean of the values held; NaN when empty. */
  mean(): number {
    return this.#sum / this.#size;
  }

  /** Population standard deviation; rounding in the running sums is clamped so it is never NaN. */
  standardDeviation(): number {
    const mean = this.mean();
    return Math.sqrt(Math.max(0, this.#sumOfSquares / this.#size - mean * mean));
  }
}
