import { describe, expect, it } from 'vitest';
import { Ewma } from './ewma.js';
import { ownSlot } from './state-slot.js';

describe('Ewma', () => {
  it('matches a hand-computed series exactly', () => {
    // Half-life 1 s. Observations 1 @ 0 s, 3 @ 1 s, 5 @ 3 s. At 3 s the weights are
    // 2^-3 = 0.125, 2^-2 = 0.25 and 1: total 1.375, mean 5.875/1.375 = 47/11, and the weighted
    // variance (0.125·(36/11)² + 0.25·(14/11)² + (8/11)²)/1.375 = (275/121)/(11/8) = 200/121.
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    const slot = ownSlot(Ewma.width);
    ewma.observe(slot, { value: 1, time: 0 });
    expect(ewma.mean(slot)).toBe(1);
    expect(ewma.variance(slot)).toBe(0);
    ewma.observe(slot, { value: 3, time: 1_000 });
    expect(ewma.weight(slot)).toBeCloseTo(1.5, 14);
    expect(ewma.mean(slot)).toBeCloseTo(7 / 3, 14);
    expect(ewma.variance(slot)).toBeCloseTo(8 / 9, 14);
    ewma.observe(slot, { value: 5, time: 3_000 });
    expect(ewma.weight(slot)).toBeCloseTo(1.375, 14);
    expect(ewma.mean(slot)).toBeCloseTo(47 / 11, 14);
    expect(ewma.variance(slot)).toBeCloseTo(200 / 121, 14);
  });

  it('is the plain mean and population variance when no time passes', () => {
    const ewma = new Ewma({ halfLifeMs: 60_000 });
    const slot = ownSlot(Ewma.width);
    for (const value of [2, 4, 4, 4, 5, 5, 7, 9]) ewma.observe(slot, { value, time: 42 });
    expect(ewma.mean(slot)).toBeCloseTo(5, 14);
    expect(ewma.variance(slot)).toBeCloseTo(4, 14);
  });

  it('counts a late observation as if it came at the latest time', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    const slot = ownSlot(Ewma.width);
    ewma.observe(slot, { value: 1, time: 5_000 });
    ewma.observe(slot, { value: 3, time: 1_000 });
    expect(ewma.weight(slot)).toBe(2);
    expect(ewma.mean(slot)).toBe(2);
  });

  it('keeps its variance exact when it is tiny next to the mean', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    const slot = ownSlot(Ewma.width);
    for (let i = 0; i < 1_000; i += 1) ewma.observe(slot, { value: 1e9 + (i % 2), time: i });
    expect(ewma.variance(slot)).toBeGreaterThan(0.24);
    expect(ewma.variance(slot)).toBeLessThan(0.26);
  });

  it('is NaN before the first observation', () => {
    const ewma = new Ewma({ halfLifeMs: 1_000 });
    const slot = ownSlot(Ewma.width);
    expect(ewma.mean(slot)).toBeNaN();
    expect(ewma.variance(slot)).toBeNaN();
  });
});
