import type { Pager } from '../../src/core/pager.js';
import type { IncidentObserver } from '../../src/core/incident-observer.js';
import { createVigil, type Vigil } from '../../src/app.js';
import { defaultConfig, type VigilConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { sequentialIds } from '../../src/core/ids.js';
import type { AlertEvent } from '../../src/core/alert.js';
import type { TransactionDetector } from '../../src/detect/detection-engine.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** Vigil on an in-memory SQLite database with a manual clock, for tests of the core and the API. */
export async function testVigil(
  config: Partial<VigilConfig> = {},
  detectors: readonly TransactionDetector[] = [],
  observers: readonly IncidentObserver[] = [],
  pager?: Pager,
): Promise<{ vigil: Vigil; clock: ManualClock }> {
  const clock = new ManualClock('2026-11-23T10:00:00.000Z');
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const vigil = await createVigil({ ...defaultConfig, ...config }, { clock, ids: sequentialIds(), store, detectors, observers, ...(pager === undefined ? {} : { pager }) });
  return { vigil, clock };
}

/** An alert event with sensible defaults. */
export function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    source: 'generic',
    action: 'trigger',
    dedupKey: 'hot-wallet-low',
    fingerprint: 'hot-wallet-low',
    groupKey: 'hot-wallet',
    severity: 'warning',
    summary: 'Hot wallet balance below 10 ETH',
    labels: { chain: 'ethereum' },
    annotations: {},
    links: [],
    raw: {},
    occurredAt: 0,
    ...overrides,
  };
}
