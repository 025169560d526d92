import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Notification } from '../core/notifier.js';
import { WebhookAdapter } from './webhook.js';
import { startHttpReceiver } from '../../test/support/receivers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The receiver code the README shows under "Verifying the webhook signature", as written there. */
async function readmeVerifier(): Promise<(headers: Record<string, string | undefined>, rawBody: string, secret: string) => boolean> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Verifying the webhook signature'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('no ts block in the README section');
  const path = join(dir, 'verify.ts');
  writeFileSync(path, code);
  return ((await import(path)) as { verifyVigilWebhook: never }).verifyVigilWebhook;
}

describe('the README webhook receiver code', () => {
  it('accepts what Vigil sends and refuses a changed body, a wrong secret and a stale timestamp', async () => {
    const verify = await readmeVerifier();
    const receiver = await startHttpReceiver();
    try {
      const notification: Notification = { about: 'incident',
  id: 'm1', incidentId: 'i1', incidentRef: 'INC-1', title: 'Bridge drained', service: 'bridge', severity: 'SEV1', status: 'triggered', reason: 'incident opened', url: null, at: Date.now() };
      const adapter = new WebhookAdapter({ timeoutMs: 2_000, clock: { now: () => Date.now() } });
      expect(await adapter.deliver({ kind: 'webhook', url: receiver.url, secret: 'whsec_0123456789abcdef' }, notification)).toMatchObject({ outcome: 'delivered' });
      const { headers, body } = receiver.requests[0]!;
      const h = headers as Record<string, string>;
      expect(verify(h, body, 'whsec_0123456789abcdef')).toBe(true);
      expect(verify(h, body.replace('SEV1', 'SEV2'), 'whsec_0123456789abcdef')).toBe(false);
      expect(verify(h, body, 'whsec_another-secret!!')).toBe(false);
      expect(verify({ ...h, 'x-vigil-timestamp': String(Math.floor(Date.now() / 1000) - 600) }, body, 'whsec_0123456789abcdef')).toBe(false);
      expect(verify({}, body, 'whsec_0123456789abcdef')).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});
