/**
 * Remembers the shapes a metric has taken and says how new the latest one is, in the spirit of
 * ARTime's adaptive resonance: the last `windowLength` values are reduced to `segments` means
 * (piecewise aggregate), compared with every stored shape by the largest difference relative to
 * the metric's range so far, and stored as a new shape when none is within `vigilance`. Memory is
 * bounded by `capacity` shapes; the least recently matched one makes room.
 */
export interface ShapeMemoryOptions {
  readonly windowLength: number;
  readonly segments: number;
  /** Largest difference, as a share of the range, at which two shapes are the same. */
  readonly vigilance: number;
  readonly capacity: number;
}

export class ShapeMemory {
  readonly #options: ShapeMemoryOptions;
  readonly #segmentLength: number;
  readonly #recent: Float64Array;
  #recentCount = 0;
  readonly #shapes: Float64Array[] = [];
  readonly #lastMatched: number[] = [];
  #step = 0;

  constructor(options: ShapeMemoryOptions) {
    if (!Number.isInteger(options.windowLength / options.segments)) {
      throw new RangeError(`windowLength (${options.windowLength}) must be a multiple of segments (${options.segments})`);
    }
    this.#options = options;
    this.#segmentLength = options.windowLength / options.segments;
    this.#recent = new Float64Array(options.windowLength);
  }

  /** Shapes held; never more than `capacity`. */
  get size(): number {
    return this.#shapes.length;
  }

  /**
   * Adds a value and returns the novelty of the shape it completes: 0 when a stored shape is within
   * vigilance, from 0.5 up to 1 (at 1.5 times vigilance or more) when the shape is new.
   * `range` is the metric's range so far, which sets the scale of "different".
   */
  observe(value: number, range: number): number {
    this.#step++;
    const { windowLength, segments, vigilance } = this.#options;
    if (this.#recentCount < windowLength) {
      this.#recent[this.#recentCount++] = value;
    } else {
      this.#recent.copyWithin(0, 1);
      this.#recent[windowLength - 1] = value;
    }
    if (this.#recentCount < windowLength) return 0;

    const shape = new Float64Array(segments);
    for (let j = 0; j < segments; j++) {
      let sum = 0;
      for (let k = 0; k < this.#segmentLength; k++) sum += this.#recent[j * this.#segmentLength + k] ?? 0;
      shape[j] = sum / this.#segmentLength;
    }
    const { index, distance } = this.#nearest(shape);
    const relative = distance / range;
    if (relative > vigilance) {
      this.#remember(shape);
      return Math.min(1, relative / vigilance - 1 + 0.5);
    }
    this.#lastMatched[index] = this.#step;
    return 0;
  }

  #nearest(shape: Float64Array): { index: number; distance: number } {
    let best = Infinity;
    let index = -1;
    for (let i = 0; i < this.#shapes.length; i++) {
      const stored = this.#shapes[i] as Float64Array;
      let largest = 0;
      for (let j = 0; j < shape.length; j++) {
        const d = Math.abs((stored[j] ?? 0) - (shape[j] ?? 0));
        if (d > largest) {
          largest = d;
          if (largest >= best) break; // cannot beat the best any more
        }
      }
      if (largest < best) {
        best = largest;
        index = i;
      }
    }
    return { index, distance: best };
  }

  #remember(shape: Float64Array): void {
    if (this.#shapes.length < this.#options.capacity) {
      this.#shapes.push(shape);
      this.#lastMatched.push(this.#step);
      return;
    }
    let oldest = 0;
    for (let i = 1; i < this.#lastMatched.length; i++) if ((this.#lastMatched[i] ?? 0) < (this.#lastMatched[oldest] ?? 0)) oldest = i;
    this.#shapes[oldest] = shape;
    this.#lastMatched[oldest] = this.#step;
  }
}
