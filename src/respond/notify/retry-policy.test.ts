import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { baseMs: 1_000, factor: 2, capMs: 30_000, maxAttempts: 6 };

describe('retry delay', () => {
  it('grows the ceiling exponentially up to the cap', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelay(policy, { attempt, random: top }))).toEqual([999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999]);
  });

  it('always lands between zero and the ceiling (full jitter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (attempt, r) => {
        const delay = retryDelay(policy, { attempt, random: () => r });
        return delay >= 0 && delay <= Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      }),
    );
  });

  it('never retries sooner than the receiver asked with Retry-After, up to an hour', () => {
    expect(retryDelay(policy, { attempt: 1, random: () => 0, retryAfterMs: 120_000 })).toBe(120_000);
    expect(retryDelay(policy, { attempt: 1, random: () => 0, retryAfterMs: 10 * 3_600_000 })).toBe(3_600_000);
  });
});
