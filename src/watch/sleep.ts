import { setTimeout as wait } from 'node:timers/promises';

/** Resolves after `ms`, or at once when `signal` aborts; never rejects for the abort. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (signal?.aborted !== true) throw error;
  }
}
