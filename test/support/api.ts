import type { FastifyInstance } from 'fastify';
import type { Vigil } from '../../src/app.js';
import type { VigilConfig } from '../../src/config.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { TransactionDetector } from '../../src/detect/detection-engine.js';
import { buildHttpApp } from '../../src/http/app.js';
import { testVigil } from './vigil.js';

export interface TestApi {
  readonly vigil: Vigil;
  readonly clock: ManualClock;
  readonly app: FastifyInstance;
  /** Tokens of each role and keys of each integration kind, for the service `wallets`. */
  readonly tokens: { admin: string; responder: string; viewer: string };
  readonly keys: { alertmanager: string; pagerduty: string; forta: string; generic: string; transactions: string };
  close(): Promise<void>;
}

const cli = { kind: 'cli', id: 'test', name: 'test' } as const;

export async function testApi(config: Partial<VigilConfig> = {}, detectors: readonly TransactionDetector[] = []): Promise<TestApi> {
  const { vigil, clock } = await testVigil(config, detectors);
  const app = await buildHttpApp({ vigil, logger: false });
  const token = async (role: 'admin' | 'responder' | 'viewer') => (await vigil.createApiToken({ role, name: `${role} person`, actor: cli })).secret;
  const key = async (kind: 'alertmanager' | 'pagerduty' | 'forta' | 'generic' | 'transactions') =>
    (await vigil.createIntegration({ kind, service: 'wallets', name: `${kind} sender`, actor: cli })).key;
  return {
    vigil,
    clock,
    app,
    tokens: { admin: await token('admin'), responder: await token('responder'), viewer: await token('viewer') },
    keys: {
      alertmanager: await key('alertmanager'),
      pagerduty: await key('pagerduty'),
      forta: await key('forta'),
      generic: await key('generic'),
      transactions: await key('transactions'),
    },
    close: async () => {
      await app.close();
      await vigil.close();
    },
  };
}

