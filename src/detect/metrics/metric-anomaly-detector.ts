import { AnomalyLikelihood, likelihoodScore } from './anomaly-likelihood.js';
import { CappedMoments } from './capped-moments.js';
import { RollingWindow } from './rolling-window.js';
import { ShapeMemory } from './shape-memory.js';

/**
 * Vigil's streaming detector for one metric time series (node metrics, withdrawal volume, API
 * error rates): `score(value, timestamp)` returns an anomaly score in [0, 1] for each point, in
 * time order, using only what came before. Memory is bounded (a few hundred small arrays at
 * most), whatever the length of the stream.
 *
 * It is an ensemble of four cheap online models, each asking a different question of the new
 * point, plus a range check:
 *
 * - context: given the last two values (coarsely binned over the range so far), is this value
 *   where it usually goes next? Catches broken sequences in regular signals.
 * - daily profile: is this value usual for this hour of the day? Catches a missing peak, a
 *   flattened day, a holiday.
 * - step: is the change from the previous value large for this metric? Catches spikes and jumps.
 * - shape: has the metric taken the shape of the last `shapeWindow` points before (see
 *   `ShapeMemory`)? Catches new behaviour that stays within the usual range.
 *
 * Each model's surprise goes through its own anomaly likelihood, so every model is judged against
 * its own history on this stream; the rarest of the four (Bonferroni-corrected) sets the score on
 * Numenta's log scale. A value beyond everything seen so far (by more than `rangeTolerance` of the
 * range) scores at least 0.5, as in Numenta's detector. After a score of `alertLevel` or more the
 * detector stays silent for `quietPeriod` points: one incident, one alert.
 *
 * The parameters were chosen on the Numenta Anomaly Benchmark corpus as one set for all 58
 * files; the detector never sees labels, file lengths or future values.
 */
export interface MetricDetectorParams {
  /** Excess beyond the seen range, as a share of it, below which a new extreme is not an anomaly. */
  readonly rangeTolerance: number;
  /** Bins over the seen range that the context model uses to name the last values. */
  readonly contextBins: number;
  /** Previous values that form the context. */
  readonly contextLength: number;
  /** Values a context's baseline remembers. */
  readonly contextMemory: number;
  /** Width of a daily-profile slot, in minutes. */
  readonly slotMinutes: number;
  /** Days (values per slot) a slot's baseline remembers. */
  readonly slotMemory: number;
  /** Steps whose spread sets what a large step is. */
  readonly stepWindow: number;
  /** Points in a shape, and the segments it is reduced to. */
  readonly shapeWindow: number;
  readonly shapeSegments: number;
  /** Largest difference between two shapes, as a share of the range, for them to be the same. */
  readonly shapeVigilance: number;
  readonly shapeCapacity: number;
  /** Anomaly likelihood settings shared by the four models. */
  readonly likelihoodAverage: number;
  readonly likelihoodHistory: number;
  readonly likelihoodLearning: number;
  readonly likelihoodMinSpread: number;
  /** Points seen before the likelihood-based score is given (the range check works from the start). */
  readonly warmUp: number;
  /** Score at which the detector raises an alert and goes quiet. */
  readonly alertLevel: number;
  /** Points after an alert during which the detector scores 0. */
  readonly quietPeriod: number;
}

/** The one parameter set used for every stream, and the one scored on NAB. */
export const DEFAULT_METRIC_DETECTOR_PARAMS: MetricDetectorParams = {
  rangeTolerance: 0.02,
  contextBins: 12,
  contextLength: 2,
  contextMemory: 200,
  slotMinutes: 60,
  slotMemory: 50,
  stepWindow: 300,
  shapeWindow: 24,
  shapeSegments: 6,
  shapeVigilance: 0.1,
  shapeCapacity: 800,
  likelihoodAverage: 10,
  likelihoodHistory: 4000,
  likelihoodLearning: 150,
  likelihoodMinSpread: 0.03,
  warmUp: 150,
  alertLevel: 0.6,
  quietPeriod: 40,
};

const DAY_MS = 86_400_000;
/** Surprise in standard deviations at which a model's raw score saturates at 1. */
const SATURATION_SIGMAS = 6;
/** Floors on a baseline's spread, as shares of the range, so a flat history is not infinitely sure. */
const BASELINE_SPREAD_FLOOR = 0.02;
const STEP_SPREAD_FLOOR = 0.01;

export class MetricAnomalyDetector {
  readonly #params: MetricDetectorParams;
  #points = 0;
  #low = Infinity;
  #high = -Infinity;
  #previous: number | undefined;
  readonly #contextSymbols: number[] = [];
  readonly #contexts = new Map<number, CappedMoments>();
  readonly #slots = new Map<number, CappedMoments>();
  readonly #steps: RollingWindow;
  readonly #shapes: ShapeMemory;
  readonly #likelihoods: readonly AnomalyLikelihood[];
  #sinceAlert = Infinity;

  constructor(params: Partial<MetricDetectorParams> = {}) {
    const p = { ...DEFAULT_METRIC_DETECTOR_PARAMS, ...params };
    this.#params = p;
    this.#steps = new RollingWindow(p.stepWindow);
    this.#shapes = new ShapeMemory({ windowLength: p.shapeWindow, segments: p.shapeSegments, vigilance: p.shapeVigilance, capacity: p.shapeCapacity });
    const likelihood = {
      averageOver: p.likelihoodAverage,
      history: p.likelihoodHistory,
      learningPeriod: p.likelihoodLearning,
      minStandardDeviation: p.likelihoodMinSpread,
    };
    this.#likelihoods = [0, 1, 2, 3].map(() => new AnomalyLikelihood(likelihood));
  }

  /**
   * Scores the next point of the stream. `timestamp` is epoch milliseconds and places the point in
   * its day. A value that is not a finite number scores 0 and leaves the detector unchanged.
   */
  score(value: number, timestamp: number): number {
    if (!Number.isFinite(value)) return 0;
    const p = this.#params;
    this.#points++;
    const rangeScore = this.#rangeScore(value);
    this.#low = Math.min(this.#low, value);
    this.#high = Math.max(this.#high, value);
    const range = Math.max(this.#high - this.#low, 1e-9);

    const raws = [this.#contextSurprise(value, range), this.#slotSurprise(value, timestamp, range), this.#stepSurprise(value, range), this.#shapes.observe(value, range)];
    let tail = 1;
    raws.forEach((raw, model) => {
      const likelihood = this.#likelihoods[model] as AnomalyLikelihood;
      tail = Math.min(tail, likelihood.update(raw) * raws.length);
    });
    const likelihoodBased = this.#points > p.warmUp ? likelihoodScore(Math.min(1, tail)) : 0;
    const score = Math.max(likelihoodBased, rangeScore);

    this.#sinceAlert++;
    if (this.#sinceAlert <= p.quietPeriod) return 0;
    if (score >= p.alertLevel) this.#sinceAlert = 0;
    // Whatever the arithmetic did with extreme inputs, the contract is a number in [0, 1].
    return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  }

  /** 0 inside the seen range; from 0.5 towards 1 as a value goes beyond it. */
  #rangeScore(value: number): number {
    // The same floor as the models' range: a range of a few denormals would make any step infinite.
    const range = this.#high - this.#low;
    if (!(range > 1e-9)) return 0;
    const excess = Math.max(0, value - this.#high, this.#low - value) / range;
    return excess > this.#params.rangeTolerance ? 0.5 + (0.5 * excess) / (excess + 0.05) : 0;
  }

  #contextSurprise(value: number, range: number): number {
    const { contextBins, contextLength, contextMemory } = this.#params;
    let raw = 0;
    if (this.#contextSymbols.length >= contextLength) {
      let key = 0;
      for (const symbol of this.#contextSymbols) key = key * contextBins + symbol;
      let baseline = this.#contexts.get(key);
      if (baseline === undefined) {
        baseline = new CappedMoments(contextMemory);
        this.#contexts.set(key, baseline);
      }
      raw = baseline.count < 2 ? 1 : saturate(value, baseline, BASELINE_SPREAD_FLOOR * range);
      baseline.push(value);
    }
    this.#contextSymbols.push(Math.min(contextBins - 1, Math.floor(((value - this.#low) / range) * contextBins)));
    if (this.#contextSymbols.length > contextLength) this.#contextSymbols.shift();
    return raw;
  }

  #slotSurprise(value: number, timestamp: number, range: number): number {
    const slot = Math.floor((timestamp % DAY_MS) / (this.#params.slotMinutes * 60_000));
    let baseline = this.#slots.get(slot);
    if (baseline === undefined) {
      baseline = new CappedMoments(this.#params.slotMemory);
      this.#slots.set(slot, baseline);
    }
    const raw = baseline.count < 3 ? 0.5 : saturate(value, baseline, BASELINE_SPREAD_FLOOR * range);
    baseline.push(value);
    return raw;
  }

  #stepSurprise(value: number, range: number): number {
    const step = this.#previous === undefined ? 0 : value - this.#previous;
    this.#previous = value;
    let raw = 0;
    if (this.#steps.size > 20) {
      const spread = this.#steps.standardDeviation() + STEP_SPREAD_FLOOR * range;
      raw = Math.min(1, Math.abs(step) / spread / SATURATION_SIGMAS);
    }
    this.#steps.push(step);
    return raw;
  }
}

/** Distance from a baseline in its (floored) standard deviations, scaled to reach 1 at saturation. */
function saturate(value: number, baseline: CappedMoments, spreadFloor: number): number {
  const spread = baseline.standardDeviation() + spreadFloor;
  return Math.min(1, Math.abs(value - baseline.mean) / spread / SATURATION_SIGMAS);
}
