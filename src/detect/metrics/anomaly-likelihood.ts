import { RollingWindow } from './rolling-window.js';

/**
 * Turns a raw surprise signal into "how unusual is the recent surprise for this stream", after
 * Numenta's anomaly likelihood: the mean of the last few raw values is compared with the
 * distribution of those means over a long history, as a Gaussian tail probability. A noisy
 * metric that is always a bit surprising then stays quiet, and a calm one speaks up at its first
 * sustained deviation, so one threshold serves very different metrics.
 */
export interface AnomalyLikelihoodOptions {
  /** Raw values averaged before comparing (Numenta uses 10). */
  readonly averageOver: number;
  /** Averages kept to estimate the distribution. */
  readonly history: number;
  /** Averages seen before any probability other than 0.5 is given. */
  readonly learningPeriod: number;
  /** Floor on the spread, so a perfectly regular history does not make every wobble infinitely rare. */
  readonly minStandardDeviation: number;
}

export class AnomalyLikelihood {
  readonly #recent: RollingWindow;
  readonly #history: RollingWindow;
  readonly #options: AnomalyLikelihoodOptions;

  constructor(options: AnomalyLikelihoodOptions) {
    this.#options = options;
    this.#recent = new RollingWindow(options.averageOver);
    this.#history = new RollingWindow(options.history);
  }

  /** Adds a raw value; returns the tail probability of the recent average (small = anomalous). */
  update(raw: number): number {
    this.#recent.push(raw);
    const average = this.#recent.mean();
    let tail = 0.5;
    if (this.#history.size >= this.#options.learningPeriod) {
      const spread = Math.max(this.#history.standardDeviation(), this.#options.minStandardDeviation);
      tail = gaussianTail((average - this.#history.mean()) / spread);
    }
    this.#history.push(average);
    return tail;
  }
}

/** P(Z > z) for a standard normal, from the complementary error function. */
export function gaussianTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * The complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7),
 * which keeps its precision far in the tail where 1 - erf(x) would round to zero.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Numenta's log scale for a tail probability: 0 for an ordinary value, 0.5 at one in 100,000 and 1
 * at one in 10^10. Spreading the rare end out gives a threshold sweep room to work.
 */
export function likelihoodScore(tailProbability: number): number {
  return Math.log(1.0000000001 - (1 - tailProbability)) / -23.02585084720009;
}
