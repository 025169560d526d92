import { describe, expect, it } from 'vitest';
import { HalfSpaceTrees } from './half-space-trees.js';
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

describe('HalfSpaceTrees', () => {
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
