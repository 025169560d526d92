import { SeededRandom } from './seeded-random.js';

export interface HalfSpaceTreesOptions {
  /** Length of the feature vectors; each feature is expected in [0, 1] and clamped to it. */
  readonly dimensions: number;
  /** Number of trees. Default 25 (the paper's). */
  readonly trees?: number;
  /** Depth of each tree; a tree has 2^(depth+1) − 1 nodes. Default 8. */
  readonly depth?: number;
  /** Observations per window: the reference masses are swapped in every this many. Default 250 (the paper's). */
  readonly windowSize?: number;
  /** A node whose reference mass is at most this ends the walk. Default 0.1 × windowSize (the paper's). */
  readonly sizeLimit?: number;
  /** Seed for the random work ranges and split dimensions. Default 0x5eed. */
  readonly seed?: number;
}

/**
 * Half-Space Trees (Tan, Ting & Liu, "Fast Anomaly Detection for Streaming Data", IJCAI 2011):
 * a streaming anomaly detector for feature vectors, in constant memory and time per point.
 *
 * Each tree splits a randomly perturbed copy of the unit cube in half, at random dimensions, down
 * to a fixed depth; the trees are built once, before any data, so nothing depends on the data's
 * order but the masses. Each node counts how many points of the *latest* window fell in it; every
 * `windowSize` points those counts become the *reference* masses and the latest counts restart,
 * so the model forgets at a steady rate and follows drift. A point's score in one tree is
 * r × 2^k at the first node on its path that is a leaf or whose reference mass r is at most
 * `sizeLimit` (k is that node's depth): points in dense regions travel deep through heavy nodes,
 * isolated points stop early at light ones.
 *
 * The paper's score is the sum over trees, higher = more normal; `mass` gives it (averaged over
 * trees). Its scale depends on the data (how concentrated the features are), so a raw threshold
 * would not carry from one deployment to the next. `score` therefore compares a point with the
 * typical point: with L = log2(1 + mass), and L̃ the median L of the previous window's points
 * (each scored when it arrived), score = 1 / (1 + 2^(L − L̃)). It is in (0, 1), higher = more
 * anomalous, and a monotone function of the paper's score within a window (it ranks points as
 * the paper does). A typical point scores 0.5; a point in a region 16 times sparser than the
 * typical one scores 0.94; 64 times sparser, 0.985.
 *
 * Scores are 0 until two windows have passed: one to fill the reference masses and one to learn
 * what a typical mass is.
 *
 * Memory: 24 bytes per node over trees × (2^(depth+1) − 1) nodes, ~0.3 MB at the defaults (25 trees,
 * depth 8), and one window of log masses; one model serves the whole stream, not one per entity.
 */
export class HalfSpaceTrees {
  readonly dimensions: number;
  readonly trees: number;
  readonly depth: number;
  readonly windowSize: number;
  readonly sizeLimit: number;

  readonly #nodesPerTree: number;
  /**
   * Per node, its split value and then its split dimension, side by side: a step down a tree
   * reads both, and from one array a node's pair (and its sibling's) shares a cache line. The
   * forest is larger than a core's cache, so the walk's cost is mostly these loads.
   */
  readonly #splits: Float64Array;
  #reference: Uint32Array;
  /**
   * The latest window's masses. Only the leaves are counted as points arrive; the inner nodes are
   * filled in when the window closes (a node's mass is the sum of its two children's: every point
   * through a node goes on through one of them), which spares each walk ten writes per tree.
   */
  #latest: Uint32Array;
  #inWindow = 0;
  /** Whether reference masses exist. */
  #referenced = false;
  /** log2(1 + mass) of the points of the latest window, scored as they arrived. */
  readonly #windowLogs: Float64Array;
  /** The point being walked, clamped to [0, 1]. */
  readonly #point: Float64Array;
  /** Scratch for `#walk`: each tree's current node, and whether its score is taken. */
  readonly #at: Int32Array;
  readonly #scored: Uint8Array;
  #windowLogCount = 0;
  /** Median of the previous window's log masses; NaN until known. */
  #typicalLog = Number.NaN;

  constructor(options: HalfSpaceTreesOptions) {
    this.dimensions = options.dimensions;
    this.trees = options.trees ?? 25;
    this.depth = options.depth ?? 8;
    this.windowSize = options.windowSize ?? 250;
    this.sizeLimit = options.sizeLimit ?? 0.1 * this.windowSize;
    for (const [name, value, max] of [
      ['dimensions', this.dimensions, 65_535],
      ['trees', this.trees, 10_000],
      ['depth', this.depth, 20],
      ['windowSize', this.windowSize, 2 ** 31],
    ] as const) {
      if (!(Number.isInteger(value) && value >= 1 && value <= max)) throw new RangeError(`${name} must be an integer in [1, ${max}], got ${value}`);
    }
    this.#nodesPerTree = 2 ** (this.depth + 1) - 1;
    const total = this.trees * this.#nodesPerTree;
    const splits = halfSpaceTreeSplits({ dimensions: this.dimensions, trees: this.trees, depth: this.depth, seed: options.seed ?? 0x5eed });
    this.#splits = new Float64Array(2 * total);
    for (let i = 0; i < total; i += 1) {
      this.#splits[2 * i] = splits.value[i] ?? 0;
      this.#splits[2 * i + 1] = splits.dimension[i] ?? 0;
    }
    this.#reference = new Uint32Array(total);
    this.#latest = new Uint32Array(total);
    this.#windowLogs = new Float64Array(this.windowSize);
    this.#point = new Float64Array(this.dimensions);
    this.#at = new Int32Array(this.trees);
    this.#scored = new Uint8Array(this.trees);
  }

  /** Whether scores mean something yet: two windows have passed. */
  get ready(): boolean {
    return !Number.isNaN(this.#typicalLog);
  }

  /** Anomaly score of `x` in (0, 1), higher = more anomalous; 0 until `ready`. */
  score(x: ArrayLike<number>): number {
    return this.#scoreOf(this.#walk(x, false));
  }

  /** The paper's score averaged over the trees, mean r·2^k: higher = more normal; 0 before the first window. */
  mass(x: ArrayLike<number>): number {
    return this.#referenced ? 2 ** this.#walk(x, false) - 1 : 0;
  }

  /** Counts `x` into the latest window, swapping windows when it fills. */
  update(x: ArrayLike<number>): void {
    this.#learned(this.#walk(x, true));
  }

  /** Scores `x` against what came before, then learns it (test-then-train), in one walk. */
  scoreThenUpdate(x: ArrayLike<number>): number {
    const log = this.#walk(x, true);
    const s = this.#scoreOf(log);
    this.#learned(log);
    return s;
  }

  #scoreOf(log: number): number {
    if (Number.isNaN(log) || Number.isNaN(this.#typicalLog)) return 0;
    return 1 / (1 + 2 ** (log - this.#typicalLog));
  }

  /**
   * Walks `x` down every tree: returns log2(1 + mean r·2^k) against the reference masses (NaN
   * before there are any) and, when `learn`, counts it into the latest masses on the way, so
   * scoring and learning share one walk.
   *
   * The trees are walked side by side, a level at a time: the step down one tree waits on the
   * load of its node's split, and with the steps of 25 independent trees in one loop the
   * processor overlaps those loads instead of waiting on each in turn. The sum is of integers
   * (masses times powers of two), so its order does not change it.
   */
  #walk(x: ArrayLike<number>, learn: boolean): number {
    const point = this.#point;
    for (let q = 0; q < this.dimensions; q += 1) {
      const v = x[q] ?? 0;
      point[q] = v > 0 ? (v < 1 ? v : 1) : 0;
    }
    const reference = this.#reference;
    const splits = this.#splits;
    const depth = this.depth;
    const limit = this.sizeLimit;
    const trees = this.trees;
    const perTree = this.#nodesPerTree;
    /** Each tree's current node, as an index into the forest's arrays. */
    const at = this.#at;
    /** 1 once a tree's score is taken: its walk met a leaf or a light node. */
    const scored = this.#scored;
    for (let t = 0; t < trees; t += 1) at[t] = t * perTree;
    scored.fill(0);
    let open = trees;
    let sum = 0;
    for (let k = 0; ; k += 1) {
      // Scoring: each tree's score is at its first leaf or light node.
      if (open > 0) {
        for (let t = 0; t < trees; t += 1) {
          if (scored[t] === 1) continue;
          const mass = reference[at[t] ?? 0] ?? 0;
          if (k === depth || mass <= limit) {
            sum += mass * 2 ** k;
            scored[t] = 1;
            open -= 1;
          }
        }
      }
      if (k === depth || (!learn && open === 0)) break;
      // One level down every tree: 2n + 1 below the split, 2n + 2 at or above it (n within the tree), without a branch to mispredict.
      for (let t = 0; t < trees; t += 1) {
        const i = at[t] ?? 0;
        at[t] = 2 * i - t * perTree + 1 + Number((point[splits[2 * i + 1] ?? 0] ?? 0) >= (splits[2 * i] ?? 0));
      }
    }
    // Learning: only the leaf is counted (see `#latest`).
    if (learn) {
      const latest = this.#latest;
      for (let t = 0; t < trees; t += 1) {
        const leaf = at[t] ?? 0;
        latest[leaf] = (latest[leaf] ?? 0) + 1;
      }
    }
    return this.#referenced ? Math.log2(1 + sum / trees) : Number.NaN;
  }

  /** Records a learned point's log mass and swaps windows when the latest one is full. */
  #learned(log: number): void {
    if (!Number.isNaN(log)) {
      this.#windowLogs[this.#windowLogCount] = log;
      this.#windowLogCount += 1;
    }
    this.#inWindow += 1;
    if (this.#inWindow === this.windowSize) {
      this.#fillInnerMasses();
      const reference = this.#reference;
      this.#reference = this.#latest;
      reference.fill(0);
      this.#latest = reference;
      this.#inWindow = 0;
      this.#referenced = true;
      if (this.#windowLogCount > 0) this.#typicalLog = median(this.#windowLogs.subarray(0, this.#windowLogCount));
      this.#windowLogCount = 0;
    }
  }

  /** Sums the counted leaves of the latest window up into every inner node, deepest first. */
  #fillInnerMasses(): void {
    const latest = this.#latest;
    const inner = (this.#nodesPerTree - 1) / 2;
    for (let t = 0; t < this.trees; t += 1) {
      const base = t * this.#nodesPerTree;
      for (let node = inner - 1; node >= 0; node -= 1) {
        latest[base + node] = (latest[base + 2 * node + 1] ?? 0) + (latest[base + 2 * node + 2] ?? 0);
      }
    }
  }
}

/**
 * The forest's splits, built once before any data: per node (trees × (2^(depth+1) − 1), tree by
 * tree, each in breadth-first order) the dimension it splits and where. Each tree works over a
 * random work space: per dimension a point s in [0, 1] and the range s ± 2·max(s, 1 − s), which
 * contains the unit cube with a random margin (the paper's InitialiseWorkSpace); each node halves
 * its range in a random dimension. Leaves split nothing.
 */
export function halfSpaceTreeSplits(shape: { readonly dimensions: number; readonly trees: number; readonly depth: number; readonly seed: number }): {
  readonly dimension: Uint16Array;
  readonly value: Float64Array;
} {
  const { dimensions, trees, depth } = shape;
  const nodesPerTree = 2 ** (depth + 1) - 1;
  const dimension = new Uint16Array(trees * nodesPerTree);
  const value = new Float64Array(trees * nodesPerTree);
  const random = new SeededRandom(shape.seed);
  for (let tree = 0; tree < trees; tree += 1) {
    const low = new Float64Array(dimensions);
    const high = new Float64Array(dimensions);
    for (let q = 0; q < dimensions; q += 1) {
      const s = random.next();
      const range = 2 * Math.max(s, 1 - s);
      low[q] = s - range;
      high[q] = s + range;
    }
    const base = tree * nodesPerTree;
    const split = (node: number, k: number): void => {
      if (k === depth) return;
      const q = random.int(dimensions);
      const lo = low[q] ?? 0;
      const hi = high[q] ?? 0;
      const mid = (lo + hi) / 2;
      dimension[base + node] = q;
      value[base + node] = mid;
      high[q] = mid;
      split(2 * node + 1, k + 1);
      high[q] = hi;
      low[q] = mid;
      split(2 * node + 2, k + 1);
      low[q] = lo;
    };
    split(0, 0);
  }
  return { dimension, value };
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

