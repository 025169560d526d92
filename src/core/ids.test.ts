import { describe, expect, it } from 'vitest';
import { createIds, pooledRandom } from './ids.js';

const crockford = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('createIds', () => {
  it('makes ULIDs that are unique and sort in the order they were made', () => {
    const ids = createIds();
    const made = Array.from({ length: 10_000 }, () => ids.id());
    for (const id of made) expect(id).toMatch(crockford);
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it('draws the random part afresh for each generator', () => {
    const a = createIds().id().slice(10);
    const b = createIds().id().slice(10);
    expect(a).not.toBe(b);
  });

  it('gives bytes in [0, 1) in steps of 1/256 that keep coming, and vary, after the pool is refilled', () => {
    const random = pooledRandom(64);
    const drawn = Array.from({ length: 64 * 20 }, () => random());
    for (const r of drawn) {
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
      expect(Number.isInteger(r * 256)).toBe(true);
    }
    // Each refill is fresh: no pool-sized stretch repeats the one before it.
    for (let i = 64; i < drawn.length; i += 64) expect(drawn.slice(i, i + 64)).not.toEqual(drawn.slice(i - 64, i));
    expect(new Set(drawn).size).toBeGreaterThan(200);
  });

  it('makes secrets of the asked length in hex', () => {
    expect(createIds().secret(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});
