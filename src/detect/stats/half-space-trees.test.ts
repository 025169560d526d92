import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HalfSpaceTrees, halfSpaceTreeSplits } from './half-space-trees.js';
import { SeededRandom } from './seeded-random.js';

/** Area under the ROC curve: the chance that a random outlier outscores a random normal (ties count half). */
function auc(outliers: readonly number[], normals: readonly number[]): number {
  let wins = 0;
  for (const o of outliers) for (const n of normals) wins += o > n ? 1 : o === n ? 0.5 : 0;
  return wins / (outliers.length * normals.length);
}

const centres = [
  [0.3, 0.3, 0.6, 0.5],
  [0.7, 0.6, 0.4, 0.5],
] as const;

function normalPoint(random: SeededRandom): number[] {
  const centre = centres[random.int(2)] ?? centres[0];
  return centre.map((c) => c + 0.05 * random.normal());
}

/** Uniform in the cube, at least 0.3 from both centres. */
function outlierPoint(random: SeededRandom): number[] {
  for (;;) {
    const p = [random.next(), random.next(), random.next(), random.next()];
    if (centres.every((c) => Math.hypot(...c.map((v, i) => v - (p[i] ?? 0))) > 0.3)) return p;
  }
}

/** A seeded stream: 1% outliers, injected only after the first windows so they are scored, not learned first. */
function run(seed: number, options: { readonly modelSeed?: number } = {}): { outliers: number[]; normals: number[]; all: number[] } {
  const random = new SeededRandom(seed);
  const hst = new HalfSpaceTrees({ dimensions: 4, seed: options.modelSeed ?? 7 });
  const outliers: number[] = [];
  const normals: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < 6_000; i += 1) {
    const injected = i >= 1_000 && random.next() < 0.01;
    const score = hst.scoreThenUpdate(injected ? outlierPoint(random) : normalPoint(random));
    all.push(score);
    if (i < 1_000) continue;
    (injected ? outliers : normals).push(score);
  }
  return { outliers, normals, all };
}

/**
 * The model as first written here, every node counted on the way down, kept as the reference the
 * faster walk (leaves counted, inner masses summed when a window closes) must match exactly.
 */
class TextbookHalfSpaceTrees {
  readonly #nodes: number;
  readonly #dims: Uint16Array;
  readonly #splits: Float64Array;
  #reference: Uint32Array;
  #latest: Uint32Array;
  #inWindow = 0;
  #referenced = false;
  readonly #logs: number[] = [];
  #typical = Number.NaN;

  constructor(
    readonly o: { readonly dimensions: number; readonly trees: number; readonly depth: number; readonly windowSize: number; readonly seed: number; readonly sizeLimit?: number },
  ) {
    this.#nodes = 2 ** (o.depth + 1) - 1;
    const total = o.trees * this.#nodes;
    this.#reference = new Uint32Array(total);
    this.#latest = new Uint32Array(total);
    // The same splits (how the trees are built is not what this model checks; how they count is).
    const splits = halfSpaceTreeSplits(o);
    this.#dims = splits.dimension;
    this.#splits = splits.value;
  }

  /** Scores without learning. */
  score(x: readonly number[]): number {
    return this.#scoreOf(this.#walk(x, false));
  }

  #scoreOf(log: number): number {
    return Number.isNaN(log) || Number.isNaN(this.#typical) ? 0 : 1 / (1 + 2 ** (log - this.#typical));
  }

  /** log2(1 + mean r·2^k) (NaN before a reference window), counting every node on the way when `learn`. */
  #walk(x: readonly number[], learn: boolean): number {
    const limit = this.o.sizeLimit ?? 0.1 * this.o.windowSize;
    const point = x.map((v) => Math.min(1, Math.max(0, v)));
    let sum = 0;
    for (let t = 0; t < this.o.trees; t += 1) {
      let node = 0;
      let scoring = true;
      for (let k = 0; ; k += 1) {
        const index = t * this.#nodes + node;
        const mass = this.#reference[index] ?? 0;
        if (scoring && (k === this.o.depth || mass <= limit)) {
          sum += mass * 2 ** k;
          scoring = false;
        }
        if (learn) this.#latest[index] = (this.#latest[index] ?? 0) + 1;
        if (k === this.o.depth) break;
        node = (point[this.#dims[index] ?? 0] ?? 0) < (this.#splits[index] ?? 0) ? 2 * node + 1 : 2 * node + 2;
      }
    }
    return this.#referenced ? Math.log2(1 + sum / this.o.trees) : Number.NaN;
  }

  scoreThenUpdate(x: readonly number[]): number {
    const log = this.#walk(x, true);
    const score = this.#scoreOf(log);
    if (!Number.isNaN(log)) this.#logs.push(log);
    this.#inWindow += 1;
    if (this.#inWindow === this.o.windowSize) {
      [this.#reference, this.#latest] = [this.#latest, this.#reference];
      this.#latest.fill(0);
      this.#inWindow = 0;
      this.#referenced = true;
      if (this.#logs.length > 0) {
        const sorted = Float64Array.from(this.#logs).sort();
        const mid = sorted.length >> 1;
        this.#typical = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
      }
      this.#logs.length = 0;
    }
    return score;
  }
}

describe('HalfSpaceTrees', () => {
  it('scores every point exactly as the textbook walk that counts every node on the way down', () => {
    const shape = fc.record(
      {
        dimensions: fc.integer({ min: 1, max: 5 }),
        trees: fc.integer({ min: 1, max: 6 }),
        depth: fc.integer({ min: 1, max: 7 }),
        windowSize: fc.integer({ min: 1, max: 40 }),
        seed: fc.integer({ min: 1, max: 1_000 }),
        sizeLimit: fc.oneof(fc.double({ min: -1, max: 40, noNaN: true }), fc.integer({ min: 0, max: 12 })),
      },
      { requiredKeys: ['dimensions', 'trees', 'depth', 'windowSize', 'seed'] },
    );
    // Scoring alone (which may stop before the leaves) and scoring then learning, in any order.
    const steps = fc.array(fc.record({ learn: fc.boolean(), x: fc.array(fc.double({ min: -0.2, max: 1.2, noNaN: true }), { minLength: 5, maxLength: 5 }) }), { maxLength: 300 });
    fc.assert(
      fc.property(shape, steps, (o, xs) => {
        const fast = new HalfSpaceTrees(o);
        const textbook = new TextbookHalfSpaceTrees(o);
        for (const { learn, x } of xs) {
          if (learn) expect(fast.scoreThenUpdate(x)).toBe(textbook.scoreThenUpdate(x));
          else expect(fast.score(x)).toBe(textbook.score(x));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks injected outliers above normal points (AUC ≥ 0.95)', () => {
    for (const seed of [1, 2, 3]) {
      const { outliers, normals } = run(seed);
      expect(outliers.length).toBeGreaterThan(30);
      expect(auc(outliers, normals)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('scores in [0, 1], 0 until two windows have passed, and about 0.5 for a typical point', () => {
    const { all, normals } = run(4);
    expect(all.slice(0, 500).every((s) => s === 0)).toBe(true);
    expect(all.slice(500).every((s) => s > 0 && s < 1)).toBe(true);
    const sorted = [...normals].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(0.4);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(0.6);
  });

  it('gives the same scores for the same seed and stream, and other scores for another seed', () => {
    expect(run(5).all).toEqual(run(5).all);
    expect(run(5, { modelSeed: 8 }).all).not.toEqual(run(5).all);
  });

  it('follows drift: a region that becomes normal stops scoring as anomalous', () => {
    const hst = new HalfSpaceTrees({ dimensions: 2, windowSize: 100, seed: 3 });
    const random = new SeededRandom(6);
    for (let i = 0; i < 500; i += 1) hst.update([0.2 + 0.02 * random.normal(), 0.2 + 0.02 * random.normal()]);
    const before = hst.score([0.8, 0.8]);
    for (let i = 0; i < 300; i += 1) hst.update([0.8 + 0.02 * random.normal(), 0.8 + 0.02 * random.normal()]);
    expect(hst.score([0.8, 0.8])).toBeLessThan(before);
    expect(hst.score([0.2, 0.2])).toBeGreaterThan(hst.score([0.8, 0.8]));
  });

  it('refuses parameters it cannot build', () => {
    expect(() => new HalfSpaceTrees({ dimensions: 0 })).toThrow(RangeError);
    expect(() => new HalfSpaceTrees({ dimensions: 3, depth: 40 })).toThrow(RangeError);
  });
});
