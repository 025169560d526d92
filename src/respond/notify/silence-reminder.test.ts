import { afterEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import type { Actor } from '../../core/actor.js';
import { webhookSignature } from '../../notify/webhook.js';
import { admin, notifyVigil } from '../../../test/support/notify.js';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers.js';

const minute = 60_000;
const secret = 'whsec_reminder_0123456789';

describe('a silence about to end', () => {
  let vigil: Vigil | undefined;
  let receiver: HttpReceiver | undefined;
  afterEach(async () => {
    await vigil?.close();
    await receiver?.close();
  });

  async function setUp() {
    receiver = await startHttpReceiver(() => ({ status: 200 }));
    const opened = await notifyVigil();
    vigil = opened.vigil;
    await vigil.store.write((tx) =>
      vigil!.notifications.putPerson(tx, {
        definition: {
          handle: 'alice',
          name: 'Alice',
          methods: [
            { id: 'pager', kind: 'webhook', url: `${receiver!.url}/pager`, secret },
            { id: 'mail', kind: 'webhook', url: `${receiver!.url}/mail`, secret },
          ],
          // SEV5 is her least urgent route: a notice goes there, never to the pager.
          rules: [
            { severities: ['SEV1', 'SEV2'], methods: ['pager'] },
            { severities: ['SEV3', 'SEV4', 'SEV5'], methods: ['mail'] },
          ],
        },
        actor: admin,
      }),
    );
    return { vigil, clock: opened.clock, receiver };
  }

  it('reminds its creator, by their least urgent contact method, once, through the outbox', async () => {
    const { vigil, clock, receiver } = await setUp();
    const token = await vigil.createApiToken({ role: 'responder', name: 'alice laptop', person: 'alice', actor: admin });
    const creator: Actor = { kind: 'token', id: token.id, name: 'alice laptop' };
    const silence = await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['chain="ethereum"'], durationMs: 60 * minute, comment: 'geth upgrade', actor: creator }));

    clock.advance(44 * minute);
    await vigil.workers.runOnce();
    expect(receiver.requests).toHaveLength(0);

    clock.advance(1 * minute);
    await vigil.workers.runOnce();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/mail']);
    const request = receiver.requests[0]!;
    expect(request.headers['x-vigil-signature']).toBe(webhookSignature(secret, String(request.headers['x-vigil-timestamp']), request.body));
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'vigil.notification',
      reason: 'silence ending soon',
      notice: { subject: `silence ${silence.id}`, title: 'Silence ends in 15 min: {chain="ethereum"}', facts: expect.arrayContaining([{ label: 'Comment', value: 'geth upgrade' }]) },
    });
    expect(body).not.toHaveProperty('incident');

    clock.advance(5 * minute);
    await vigil.workers.runOnce();
    expect(receiver.requests).toHaveLength(1);
    const [message] = await vigil.store.read.listOutboxMessages({ limit: 10 });
    expect(message).toMatchObject({ incidentId: null, state: 'delivered', attempts: 1 });
    const actions = (await vigil.store.read.listAuditRecords(0, 1000)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['silence.expiring', 'notification.queued', 'notification.attempted']));
  });

  it('records who could not be reminded when the creator is no person Vigil knows', async () => {
    const { vigil, clock, receiver } = await setUp();
    await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['chain="ethereum"'], durationMs: 20 * minute, comment: 'node restart', actor: { kind: 'cli', id: 'bob', name: 'bob' } }));
    clock.advance(6 * minute);
    await vigil.workers.runOnce();
    expect(receiver.requests).toHaveLength(0);
    const unroutable = (await vigil.store.read.listAuditRecords(0, 1000)).find((r) => r.action === 'notification.unroutable');
    expect(unroutable?.data).toMatchObject({ who: 'bob', why: 'no person with handle bob', reason: 'silence ending soon' });
  });
});
