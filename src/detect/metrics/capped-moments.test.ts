import { describe, expect, it } from 'vitest';
import { CappedMoments } from './capped-moments.js';

describe('CappedMoments', () => {
  it('is the exact mean and spread while under its memory', () => {
    const m = new CappedMoments(10);
    for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) m.push(v);
    expect(m.mean).toBeCloseTo(5, 12);
    expect(m.standardDeviation()).toBeCloseTo(2, 12);
  });

  it('follows a level that moves once past its memory', () => {
    const m = new CappedMoments(20);
    for (let i = 0; i < 1000; i++) m.push(0);
    for (let i = 0; i < 200; i++) m.push(10);
    expect(m.mean).toBeGreaterThan(9.9);
  });
});
