import { describe, expect, it } from 'vitest';
import { RollingWindow } from './rolling-window.js';

describe('RollingWindow', () => {
  it('keeps the mean and spread of only the last values', () => {
    const w = new RollingWindow(3);
    for (const v of [100, 1, 2, 3]) w.push(v);
    expect(w.size).toBe(3);
    expect(w.mean()).toBeCloseTo(2, 12);
    expect(w.standardDeviation()).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RollingWindow(0)).toThrow(RangeError);
  });
});
