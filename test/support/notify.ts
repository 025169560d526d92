import { createVigil, type Vigil } from '../../src/app.js';
import { defaultConfig, type VigilConfig } from '../../src/config.js';
import type { Actor } from '../../src/core/actor.js';
import { ManualClock } from '../../src/core/clock.js';
import { sequentialIds } from '../../src/core/ids.js';
import type { Incident } from '../../src/core/incident.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { event } from './vigil.js';

export const admin: Actor = { kind: 'cli', id: 'ops', name: 'ops' };

/** A fixed key, so tests can also open what was sealed. */
export const testSecretKey = Buffer.alloc(32, 7).toString('base64');

/**
 * Vigil for notification tests: in-memory SQLite, a manual clock, a fixed secret key and
 * deterministic jitter (`random` returns 0.5: every retry waits half its ceiling).
 */
export async function notifyVigil(config: Partial<VigilConfig> = {}): Promise<{ vigil: Vigil; clock: ManualClock }> {
  const clock = new ManualClock('2026-11-23T10:00:00.000Z');
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const vigil = await createVigil(
    {
      ...defaultConfig,
      secretKey: testSecretKey,
      publicUrl: 'https://vigil.example.test',
      ...config,
      notify: { ...defaultConfig.notify, backoffBaseMs: 1_000, backoffFactor: 2, backoffCapMs: 60_000, maxAttempts: 4, timeoutMs: 2_000, leaseMs: 30_000, ...config.notify },
    },
    { clock, ids: sequentialIds(), store, detectors: [], random: () => 0.5 },
  );
  return { vigil, clock };
}

/** Opens an incident on service `wallets` through a generic integration; `severity` of the alert. */
export async function openIncident(vigil: Vigil, overrides: Parameters<typeof event>[0] = {}): Promise<Incident> {
  const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: admin });
  const integration = (await vigil.store.read.getIntegration(id))!;
  const [result] = await vigil.ingest(integration, [event({ summary: 'Hot wallet drained', ...overrides })]);
  return (await vigil.store.read.getIncident(result!.incidentId!))!;
}
