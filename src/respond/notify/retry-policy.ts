/** How the outbox retries a delivery that may pass later. */
export interface RetryPolicy {
  /** The ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** Each retry's ceiling is the previous one times this. */
  readonly factor: number;
  /** No ceiling grows past this. */
  readonly capMs: number;
  /** Attempts in all (the first one included) before the message is dead. */
  readonly maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 10_000, factor: 2, capMs: 10 * 60_000, maxAttempts: 8 };

/** A Retry-After longer than this is not waited for; the message goes on with its own schedule. */
const maxRetryAfterMs = 60 * 60_000;

/**
 * The delay before the next attempt after `attempt` failed: exponential backoff with full jitter
 * (uniform in [0, min(cap, base * factor^(attempt-1))]), which spreads the retries of many
 * messages that failed together so they do not hit a recovering receiver at once. A Retry-After
 * from the receiver is a floor. `random` is injected (in [0, 1)) so tests are deterministic.
 */
export function retryDelay(policy: RetryPolicy, request: { attempt: number; random: () => number; retryAfterMs?: number }): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, request.attempt - 1));
  const jittered = Math.floor(request.random() * ceiling);
  const floor = request.retryAfterMs === undefined ? 0 : Math.min(request.retryAfterMs, maxRetryAfterMs);
  return Math.max(jittered, floor);
}
