import { describe, expect, it } from 'vitest';
import { ShapeMemory } from './shape-memory.js';

describe('ShapeMemory', () => {
  it('finds a repeated pattern familiar and a new one novel', () => {
    const memory = new ShapeMemory({ windowLength: 4, segments: 2, vigilance: 0.1, capacity: 100 });
    const pattern = [0, 0, 10, 10];
    for (let r = 0; r < 5; r++) for (const v of pattern) memory.observe(v, 10);
    const familiar = pattern.map((v) => memory.observe(v, 10));
    expect(Math.max(...familiar)).toBe(0);
    expect(memory.observe(5, 10) + memory.observe(5, 10)).toBeGreaterThan(0);
  });

  it('never holds more shapes than its capacity', () => {
    const memory = new ShapeMemory({ windowLength: 2, segments: 2, vigilance: 0.01, capacity: 8 });
    for (let i = 0; i < 500; i++) memory.observe(i, 500);
    expect(memory.size).toBe(8);
  });

  it('refuses a window that does not split into whole segments', () => {
    expect(() => new ShapeMemory({ windowLength: 5, segments: 2, vigilance: 0.1, capacity: 1 })).toThrow(RangeError);
  });
});
