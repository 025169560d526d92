import { describe, expect, it } from 'vitest';
import { AnomalyLikelihood, gaussianTail, likelihoodScore } from './anomaly-likelihood.js';

describe('AnomalyLikelihood', () => {
  it('gives Gaussian tail probabilities', () => {
    expect(gaussianTail(0)).toBeCloseTo(0.5, 6);
    expect(gaussianTail(1.959964)).toBeCloseTo(0.025, 6);
  });

  it('puts one in 100,000 at 0.5 on the log scale', () => {
    expect(likelihoodScore(1e-5)).toBeCloseTo(0.5, 6);
    expect(likelihoodScore(1)).toBeCloseTo(0, 6);
  });

  it('says nothing while learning, then finds a burst of surprise rare for a calm stream', () => {
    const likelihood = new AnomalyLikelihood({ averageOver: 5, history: 500, learningPeriod: 100, minStandardDeviation: 0.01 });
    const early = Array.from({ length: 100 }, (_, i) => likelihood.update(i % 10 === 0 ? 0.1 : 0));
    expect(early.every((q) => q === 0.5)).toBe(true);
    for (let i = 0; i < 200; i++) likelihood.update(i % 10 === 0 ? 0.1 : 0);
    let tail = 1;
    for (let i = 0; i < 5; i++) tail = likelihood.update(1);
    expect(tail).toBeLessThan(1e-5);
  });
});
