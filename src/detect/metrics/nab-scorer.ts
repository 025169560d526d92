/**
 * A re-implementation of the Numenta Anomaly Benchmark's scoring (numenta/NAB `nab/sweeper.py`,
 * `nab/scorer.py`, `nab/optimizer.py` and the normalisation in `nab/runner.py`), kept to the same
 * arithmetic so that the published scoreboard figures come out to the second decimal.
 *
 * Everything here is a pure function over in-memory arrays: reading the corpus lives in
 * `nab-corpus.ts`. The work is split in three so that a corpus-wide sweep over every distinct
 * score costs one sort, whatever the number of profiles:
 *
 * 1. `labelNabCorpus` turns each file's anomaly windows (timestamps) into row indices exactly as
 *    NAB's sweeper walks a file, and gives every scorable row its window and unweighted sigmoid.
 *    It depends on the labels only.
 * 2. `rankNabScores` attaches a detector's scores and sorts the scorable rows once.
 * 3. `scoreNabAtThreshold` and `sweepNabThresholds` weigh the rows with one profile's costs.
 */

/** The weights of one NAB application profile (`config/profiles.json`, "CostMatrix"). */
export interface NabCostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export interface NabProfile {
  readonly name: string;
  readonly costMatrix: NabCostMatrix;
}

/** An anomaly window by its first and last timestamp (epoch milliseconds), both inclusive. */
export interface NabWindow {
  readonly start: number;
  readonly end: number;
}

/** One data file of the corpus, as far as scoring is concerned: its rows' times and its windows. */
export interface NabLabelledFile {
  /** Path relative to the corpus `data/` folder, e.g. `realKnownCause/nyc_taxi.csv`. */
  readonly name: string;
  /** Epoch milliseconds of every row, in file order. */
  readonly timestamps: readonly number[];
  readonly windows: readonly NabWindow[];
}

/** NAB's probationary share: the first 15 % of a file (at most 750 rows) is never scored. */
export const NAB_PROBATION_PERCENT = 0.15;

/** Row kinds after labelling. A window row holds the window's corpus-wide id (0, 1, ...) instead. */
const PROBATIONARY = -2;
const OUTSIDE = -1;

/** A labelled file: per row, its window id (or OUTSIDE/PROBATIONARY) and unweighted sigmoid. */
interface LabelledRows {
  readonly name: string;
  readonly rows: number;
  /** Window id per row; `OUTSIDE` for a row outside every window, `PROBATIONARY` when unscored. */
  readonly window: Int32Array;
  /**
   * The scaled sigmoid of the row's position: relative to its window for a window row, relative to
   * the previous window's end for an outside row. NAB's `sweepScore` is this times tpWeight over
   * the sigmoid at -1 inside a window, times fpWeight outside.
   */
  readonly unweighted: Float64Array;
  /** Corpus-wide ids of this file's windows, in file order. */
  readonly windowIds: readonly number[];
}

/** The corpus with every row placed relative to the windows. Independent of any detector. */
export interface NabLabelledCorpus {
  readonly files: readonly LabelledRows[];
  /** Number of windows in the labels, including any that falls entirely in probation. */
  readonly windowCount: number;
}

/**
 * NAB's scaled sigmoid: about 1 at the start of a window (position -1), 0 at its right edge, and
 * -1 three window-widths past it, so a detection is worth less the later it comes.
 */
export function nabScaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3.0) return -1.0;
  // Written as NAB writes it (2 * sigmoid(-5x) - 1) so the floating point result is the same.
  return 2 * (1 / (1 + Math.exp(-(-5 * relativePosition)))) - 1.0;
}

/** Rows of a file NAB leaves unscored while a detector learns: min(floor(15 % of n), 750). */
export function nabProbationaryLength(rows: number): number {
  return Math.min(Math.floor(NAB_PROBATION_PERCENT * rows), NAB_PROBATION_PERCENT * 5000);
}

/** Thrown when the labels cannot be placed on the data the way NAB places them. */
export class NabLabelError extends Error {
  override readonly name = 'NabLabelError';
}

const MAX_TP = nabScaledSigmoid(-1.0);

/**
 * Places every row of every file relative to the anomaly windows, the way NAB's
 * `Sweeper.calcSweepScore` walks a file: a window opens on the row whose timestamp equals its
 * start and closes after the row equal to its end; rows outside a window are weighed by their
 * distance from the previous window's end (in rows, over that window's width minus one).
 */
export function labelNabCorpus(files: readonly NabLabelledFile[]): NabLabelledCorpus {
  let nextWindowId = 0;
  const labelled = files.map((file) => {
    const firstId = nextWindowId;
    nextWindowId += file.windows.length;
    return labelFile(file, firstId);
  });
  return { files: labelled, windowCount: nextWindowId };
}

function labelFile(file: NabLabelledFile, firstWindowId: number): LabelledRows {
  const { timestamps, windows } = file;
  const n = timestamps.length;
  const window = new Int32Array(n);
  const unweighted = new Float64Array(n);
  const probation = nabProbationaryLength(n);
  const indexOf = new Map<number, number>();
  // `timestamps.index(t)` in NAB finds the first row with that time.
  for (let i = n - 1; i >= 0; i--) indexOf.set(timestamps[i] ?? Number.NaN, i);

  let next = 0; // index into windows of the next window to open
  let current: { id: number; end: number; rightIndex: number; width: number } | undefined;
  let prevRightIndex: number | undefined;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i] ?? Number.NaN;
    const upcoming = windows[next];
    if (upcoming !== undefined && t === upcoming.start) {
      const rightIndex = indexOf.get(upcoming.end);
      if (rightIndex === undefined) {
        throw new NabLabelError(`${file.name}: window ending ${new Date(upcoming.end).toISOString()} ends on no row of the data`);
      }
      current = { id: firstWindowId + next, end: upcoming.end, rightIndex, width: rightIndex - (indexOf.get(upcoming.start) ?? i) + 1 };
      next++;
    }
    if (current !== undefined) {
      const position = -(current.rightIndex - i + 1) / current.width;
      unweighted[i] = nabScaledSigmoid(position);
      window[i] = i >= probation ? current.id : PROBATIONARY;
    } else {
      // Before any window NAB counts a detection at full cost (position 3 gives -1). A window one
      // row wide divides by zero here; NAB would fail, we count the detection at full cost too.
      const position = prevRightIndex === undefined ? 3.0 : Math.abs(prevRightIndex - i) / (prevWidth - 1);
      unweighted[i] = nabScaledSigmoid(position);
      window[i] = i >= probation ? OUTSIDE : PROBATIONARY;
    }
    if (current !== undefined && t === current.end) {
      prevRightIndex = i;
      prevWidth = current.width;
      current = undefined;
    }
  }
  // NAB scores a window only when it is opened; one never reached costs nothing. Silently losing
  // a labelled window would make every score wrong, so say so.
  if (next < windows.length) {
    const missed = windows[next];
    throw new NabLabelError(`${file.name}: window starting ${missed === undefined ? '?' : new Date(missed.start).toISOString()} starts on no row of the data`);
  }
  const windowIds = windows.map((_, k) => firstWindowId + k);
  return { name: file.name, rows: n, window, unweighted, windowIds };
}

/** A detector's anomaly scores for the corpus, one array per labelled file, in the same order. */
export type NabDetectorScores = readonly (ArrayLike<number>)[];

/** A detector's scores attached to a labelled corpus, with the scorable rows sorted once. */
export interface NabRankedScores {
  readonly corpus: NabLabelledCorpus;
  readonly scores: NabDetectorScores;
  /** Window id (or OUTSIDE) of each scorable row, highest anomaly score first. */
  readonly sortedWindow: Int32Array;
  readonly sortedUnweighted: Float64Array;
  readonly sortedScore: Float64Array;
  /** Window ids in the order NAB's score dictionary meets them (first appearance in the ranking). */
  readonly windowOrder: Int32Array;
}

/** Thrown when a detector's output does not line up with the corpus. */
export class NabScoresError extends Error {
  override readonly name = 'NabScoresError';
}

/**
 * Attaches a detector's scores to the labelled corpus and ranks every scorable (post-probation)
 * row by score, highest first. Ties keep corpus order, as Python's stable sort does in NAB.
 */
export function rankNabScores(corpus: NabLabelledCorpus, scores: NabDetectorScores): NabRankedScores {
  if (scores.length !== corpus.files.length) {
    throw new NabScoresError(`scores for ${scores.length} files, the corpus has ${corpus.files.length}`);
  }
  let total = 0;
  corpus.files.forEach((file, f) => {
    const fileScores = scores[f];
    if (fileScores === undefined || fileScores.length !== file.rows) {
      throw new NabScoresError(`${file.name}: ${fileScores?.length ?? 0} scores for ${file.rows} rows`);
    }
    for (let i = 0; i < file.rows; i++) if (file.window[i] !== PROBATIONARY) total++;
  });
  const score = new Float64Array(total);
  const windowOf = new Int32Array(total);
  const unweighted = new Float64Array(total);
  let k = 0;
  corpus.files.forEach((file, f) => {
    const fileScores = scores[f] as ArrayLike<number>;
    for (let i = 0; i < file.rows; i++) {
      const w = file.window[i] ?? PROBATIONARY;
      if (w === PROBATIONARY) continue;
      score[k] = fileScores[i] ?? Number.NaN;
      windowOf[k] = w;
      unweighted[k] = file.unweighted[i] ?? 0;
      k++;
    }
  });
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  // Descending by score, ties by position (stable); NaN (no score) last, never a detection.
  order.sort((a, b) => {
    const sa = score[a] ?? Number.NaN;
    const sb = score[b] ?? Number.NaN;
    if (sa === sb) return a - b;
    if (Number.isNaN(sa)) return 1;
    if (Number.isNaN(sb)) return -1;
    return sb > sa ? 1 : -1;
  });
  const sortedScore = new Float64Array(total);
  const sortedWindow = new Int32Array(total);
  const sortedUnweighted = new Float64Array(total);
  const seen = new Uint8Array(corpus.windowCount);
  const windowOrder: number[] = [];
  for (let r = 0; r < total; r++) {
    const i = order[r] ?? 0;
    sortedScore[r] = score[i] ?? Number.NaN;
    const w = windowOf[i] ?? OUTSIDE;
    sortedWindow[r] = w;
    sortedUnweighted[r] = unweighted[i] ?? 0;
    if (w >= 0 && seen[w] === 0) {
      seen[w] = 1;
      windowOrder.push(w);
    }
  }
  return { corpus, scores, sortedScore, sortedWindow, sortedUnweighted, windowOrder: Int32Array.from(windowOrder) };
}

/** Row counts at a threshold, over scorable rows: detections in and out of windows, and the rest. */
export interface NabCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface NabFileScore extends NabCounts {
  readonly name: string;
  readonly score: number;
}

export interface NabThresholdScore extends NabCounts {
  readonly threshold: number;
  /** The raw (unnormalised) corpus score: sum over files of window and false-positive parts. */
  readonly score: number;
}

/**
 * The corpus score with detections at `score >= threshold`, as NAB's `scorer.scoreCorpus` computes
 * it: per file, each window counts its best detection (`tpWeight` times the sigmoid) or
 * `-fnWeight` when it has none, every detection outside a window adds `fpWeight` times the sigmoid
 * from the previous window; the files' scores are summed. NAB fails outright when the threshold
 * lies below every score of a file; here every row of that file is then a detection, which is
 * what the threshold says.
 */
export function scoreNabAtThreshold(
  ranked: NabRankedScores,
  costMatrix: NabCostMatrix,
  threshold: number,
): NabThresholdScore & { readonly files: readonly NabFileScore[] } {
  const { tpWeight, fpWeight, fnWeight } = costMatrix;
  const files: NabFileScore[] = [];
  let score = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  ranked.corpus.files.forEach((file, f) => {
    const fileScores = ranked.scores[f] as ArrayLike<number>;
    // A window is worth -fnWeight until a detection in it is worth more, as in NAB's `scoreParts`.
    // NAB adds a file's windows in the order its dictionary met them; file order differs from it
    // only in the last bits of a sum.
    const windowParts = new Map<number, number>();
    let fpPart = 0;
    const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (let i = 0; i < file.rows; i++) {
      const w = file.window[i] ?? PROBATIONARY;
      if (w === PROBATIONARY) continue;
      const detected = (fileScores[i] ?? Number.NaN) >= threshold;
      if (w === OUTSIDE) {
        if (detected) {
          counts.fp++;
          fpPart += (file.unweighted[i] ?? 0) * fpWeight;
        } else counts.tn++;
        continue;
      }
      const part = windowParts.get(w) ?? -fnWeight;
      if (detected) {
        counts.tp++;
        windowParts.set(w, Math.max(part, ((file.unweighted[i] ?? 0) * tpWeight) / MAX_TP));
      } else {
        counts.fn++;
        windowParts.set(w, part);
      }
    }
    let fileScore = 0 + fpPart;
    for (const part of windowParts.values()) fileScore += part;
    files.push({ name: file.name, score: fileScore, ...counts });
    score += fileScore;
    tp += counts.tp;
    fp += counts.fp;
    fn += counts.fn;
    tn += counts.tn;
  });
  return { threshold, score, tp, fp, fn, tn, files };
}

/**
 * NAB's threshold optimiser (`optimizer.optimizeThreshold` over `Sweeper.calcScoreByThreshold`):
 * walks every distinct score of the corpus from the highest down, starting from 1.1 (no
 * detection), and returns the threshold with the highest total. Among equal totals the highest
 * threshold wins, as NAB's stable sort keeps the first. Costs O(n + thresholds * windows) after
 * the one sort in `rankNabScores`.
 */
export function sweepNabThresholds(ranked: NabRankedScores, costMatrix: NabCostMatrix): NabThresholdScore {
  const { tpWeight, fpWeight, fnWeight } = costMatrix;
  const { sortedScore, sortedWindow, sortedUnweighted, windowOrder } = ranked;
  const parts = new Float64Array(ranked.corpus.windowCount).fill(-fnWeight);
  let fpPart = 0;
  const total = (): number => {
    // NAB re-adds its dictionary ("fp" first, then windows as first met) at every threshold.
    let sum = 0 + fpPart;
    for (let k = 0; k < windowOrder.length; k++) sum += parts[windowOrder[k] ?? 0] ?? 0;
    return sum;
  };
  let tn = 0;
  let fn = 0;
  for (let r = 0; r < sortedWindow.length; r++) {
    if ((sortedWindow[r] ?? OUTSIDE) === OUTSIDE) tn++;
    else fn++;
  }
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  let best: NabThresholdScore = { threshold, score: total(), tp, fp, fn, tn };
  const consider = (): void => {
    const score = total();
    if (score > best.score) best = { threshold, score, tp, fp, fn, tn };
  };
  for (let r = 0; r < sortedScore.length; r++) {
    const s = sortedScore[r] ?? Number.NaN;
    if (Number.isNaN(s)) break;
    if (s !== threshold) {
      consider();
      threshold = s;
    }
    const w = sortedWindow[r] ?? OUTSIDE;
    const u = sortedUnweighted[r] ?? 0;
    if (w === OUTSIDE) {
      fp++;
      tn--;
      fpPart += u * fpWeight;
    } else {
      tp++;
      fn--;
      const value = (u * tpWeight) / MAX_TP;
      if (value > (parts[w] ?? 0)) parts[w] = value;
    }
  }
  consider();
  return best;
}

/**
 * NAB's normalisation (`runner.normalize`): 0 for the null detector (no detection: every window
 * a miss) and 100 for a perfect one (`tpWeight` for every labelled window).
 */
export function normaliseNabScore(options: { raw: number; costMatrix: NabCostMatrix; corpus: NabLabelledCorpus }): number {
  const nullScore = nabNullScore(options.corpus, options.costMatrix);
  const perfect = options.corpus.windowCount * options.costMatrix.tpWeight;
  return (100 * (options.raw - nullScore)) / (perfect - nullScore);
}

/**
 * What the null detector scores: `-fnWeight` for every window that has a scorable row. NAB gets it
 * by running a detector that never fires; a window lying wholly in probation costs nothing.
 */
export function nabNullScore(corpus: NabLabelledCorpus, costMatrix: NabCostMatrix): number {
  let scored = 0;
  for (const file of corpus.files) {
    const seen = new Set<number>();
    for (let i = 0; i < file.rows; i++) {
      const w = file.window[i] ?? PROBATIONARY;
      if (w >= 0) seen.add(w);
    }
    scored += seen.size;
  }
  return -costMatrix.fnWeight * scored;
}

/** One profile's result: the raw and normalised score at a threshold. */
export interface NabProfileResult extends NabThresholdScore {
  readonly profile: string;
  readonly normalised: number;
}

/**
 * Scores a detector on every profile: at the given thresholds when there are any (NAB's `--score`
 * with `config/thresholds.json`), else at the threshold the sweep finds best (`--optimize`).
 */
export function scoreNabDetector(options: {
  readonly corpus: NabLabelledCorpus;
  readonly scores: NabDetectorScores;
  readonly profiles: readonly NabProfile[];
  readonly thresholds?: Readonly<Record<string, number>>;
}): NabProfileResult[] {
  const ranked = rankNabScores(options.corpus, options.scores);
  return options.profiles.map((profile) => {
    const fixed = options.thresholds?.[profile.name];
    const result = fixed === undefined ? sweepNabThresholds(ranked, profile.costMatrix) : scoreNabAtThreshold(ranked, profile.costMatrix, fixed);
    const { threshold, score, tp, fp, fn, tn } = result;
    return {
      profile: profile.name,
      threshold,
      score,
      tp,
      fp,
      fn,
      tn,
      normalised: normaliseNabScore({ raw: score, costMatrix: profile.costMatrix, corpus: options.corpus }),
    };
  });
}
