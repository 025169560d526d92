import type { Clock } from '../core/clock.js';

/** What every HTTP or SMTP adapter is built with. */
export interface AdapterOptions {
  /** Every delivery gives up after this long and is retried later. */
  readonly timeoutMs: number;
  readonly clock: Clock;
}
