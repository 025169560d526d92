import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import type { ManualClock } from '../../core/clock.js';
import type { Incident } from '../../core/incident.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { Recorder } from '../../record/recorder.js';
import { ChannelNotifier } from '../../notify/channel-notifier.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import type { KyselyStore } from '../../store/kysely-store.js';
import { admin, notifyVigil, openIncident } from '../../../test/support/notify.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type ReceivedRequest, type SmtpReceiver } from '../../../test/support/receivers.js';

const hmacSecret = 'whsec_0123456789abcdef';

/** What a receiver does to check a Vigil webhook (the README shows the same code). */
function signatureIsValid(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers['x-vigil-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  const given = String(request.headers['x-vigil-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe('the notification outbox', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function setup(config: Parameters<typeof notifyVigil>[0] = {}) {
    ({ vigil, clock } = await notifyVigil(config));
    closers.push(() => vigil.close());
  }
  async function receiver(answer?: Parameters<typeof startHttpReceiver>[0]): Promise<HttpReceiver> {
    const r = await startHttpReceiver(answer);
    closers.push(() => r.close());
    return r;
  }
  async function smtp(options?: Parameters<typeof startSmtpReceiver>[0]): Promise<SmtpReceiver> {
    const s = await startSmtpReceiver(options);
    closers.push(() => s.close());
    return s;
  }
  const putPerson = (definition: object) => vigil.store.write((tx) => vigil.notifications.putPerson(tx, { definition, actor: admin }));
  const page = (incident: Incident, handle = 'alice', key = 'esc:1') =>
    vigil.store.write((tx) => vigil.notifications.notifyPerson(tx, { handle, incident, reason: 'escalation level 1', idempotencyKey: key, actor: admin }));
  const timeline = async (incident: Incident) => (await vigil.store.read.listTimeline(incident.id)).filter((e) => e.kind.startsWith('notification.')).map((e) => e.message);
  const message = async (id: string) => (await vigil.store.read.getOutboxMessage(id))!;

  it('retries a webhook the receiver refuses twice with 503, with backoff on the clock, and the signature verifies', async () => {
    await setup();
    const hook = await receiver((request, i) => {
      if (!signatureIsValid(request, hmacSecret)) return { status: 401 };
      return i < 2 ? { status: 503 } : { status: 200 };
    });
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'hook', kind: 'webhook', url: `${hook.url}/vigil`, secret: hmacSecret }], rules: [{ severities: ['SEV3'], methods: ['hook'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);

    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(1);
    // Attempt 1 failed: the ceiling is base 1 s, jitter 0.5 -> 500 ms.
    expect(await message(queued!.id)).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 503, nextAttemptAt: clock.now() + 500 });
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(1); // not due yet
    clock.advance(500);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(2);
    // Attempt 2 failed: ceiling 2 s -> 1 s.
    expect((await message(queued!.id)).nextAttemptAt).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(3);
    expect(await message(queued!.id)).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });

    // Every request was signed the same way, and the body is the incident.
    expect(hook.requests.every((r) => signatureIsValid(r, hmacSecret))).toBe(true);
    expect(hook.requests.map((r) => r.headers['x-vigil-delivery'])).toEqual([queued!.id, queued!.id, queued!.id]);
    expect(JSON.parse(hook.requests[2]!.body)).toMatchObject({
      type: 'vigil.notification',
      reason: 'escalation level 1',
      incident: { ref: `INC-${incident.number}`, severity: 'SEV3', status: 'triggered', service: 'wallets', url: `https://vigil.example.test/incidents/INC-${incident.number}` },
    });
    expect(await timeline(incident)).toEqual([
      'Notifying Alice (alice) (escalation level 1): webhook hook now',
      'Attempt 1 to notify alice/hook by webhook failed: HTTP 503: nope; next try at 2026-11-23T10:00:00.500Z',
      'Attempt 2 to notify alice/hook by webhook failed: HTTP 503: nope; next try at 2026-11-23T10:00:01.500Z',
      'Notified alice/hook by webhook (escalation level 1): delivered on attempt 3 (200)',
    ]);
    const audit = (await vigil.store.read.listAuditRecords(0, 1000)).filter((r) => r.action === 'notification.attempted');
    expect(audit.map((r) => r.data.outcome)).toEqual(['failed', 'failed', 'delivered']);
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('gives up after the last attempt and lists the message as a dead letter an admin can retry', async () => {
    await setup();
    let healthy = false;
    const hook = await receiver(() => ({ status: healthy ? 204 : 502 }));
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'hook', kind: 'webhook', url: hook.url }], rules: [{ severities: ['SEV3'], methods: ['hook'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);
    for (let i = 0; i < 6; i++) {
      await vigil.workers.runOnce();
      clock.advance(60_000);
    }
    expect(hook.requests).toHaveLength(4);
    expect(await message(queued!.id)).toMatchObject({ state: 'dead', attempts: 4, lastStatus: 502 });
    expect((await timeline(incident)).at(-1)).toBe('Attempt 4 to notify alice/hook by webhook failed: HTTP 502: nope; gave up after 4 attempts (dead letter)');
    const dead = await vigil.store.read.listOutboxMessages({ states: ['dead'], incidentId: incident.id, limit: 10 });
    expect(dead.map((m) => m.id)).toEqual([queued!.id]);

    healthy = true;
    await vigil.store.write((tx) => vigil.notifications.retry(tx, { id: queued!.id, actor: admin }));
    await vigil.workers.runOnce();
    expect(await message(queued!.id)).toMatchObject({ state: 'delivered', attempts: 1 });
    await expect(vigil.store.write((tx) => vigil.notifications.retry(tx, { id: queued!.id, actor: admin }))).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('sends a 404 straight to dead without a retry', async () => {
    await setup();
    const hook = await receiver(() => ({ status: 404, body: 'no_service' }));
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'slack', kind: 'slack', url: `${hook.url}/services/T0/B0/secret` }], rules: [{ severities: ['SEV3'], methods: ['slack'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);
    await vigil.workers.runOnce();
    clock.advance(3_600_000);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(1);
    expect(await message(queued!.id)).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 404, lastError: 'HTTP 404: no_service' });
    // The webhook URL embeds a token: it is nowhere on the timeline.
    expect((await timeline(incident)).join('\n')).not.toContain('secret');
  });

  it('re-delivers a message exactly once after its claimer crashed and the lease ran out', async () => {
    await setup();
    const hook = await receiver();
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'hook', kind: 'webhook', url: hook.url }], rules: [{ severities: ['SEV3'], methods: ['hook'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);
    // A process claims the message, then dies before delivering it.
    const claimed = await claimWithoutDelivering(vigil);
    expect(claimed).toEqual([queued!.id]);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(0); // the lease still holds
    clock.advance(30_000);
    await vigil.workers.runOnce();
    await vigil.workers.runOnce();
    clock.advance(60_000);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(1);
    expect(await message(queued!.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(await timeline(incident)).toContain('Attempt 1 to notify alice/hook by webhook was interrupted (its lease ran out); trying again');
  });

  it('emails through a real SMTP server now, and cancels the delayed page when the incident is acknowledged first', async () => {
    const mail = await smtp();
    await setup({ smtp: { host: '127.0.0.1', port: mail.port, secure: false, user: 'vigil', password: 'password', from: 'vigil@example.test' } });
    const hook = await receiver();
    await putPerson({
      handle: 'alice',
      name: 'Alice',
      methods: [
        { id: 'mail', kind: 'email', to: 'alice@example.test' },
        { id: 'hook', kind: 'webhook', url: hook.url },
      ],
      rules: [
        { severities: ['SEV1', 'SEV2', 'SEV3'], methods: ['mail'], delayMinutes: 0 },
        { severities: ['SEV1', 'SEV2', 'SEV3'], methods: ['hook'], delayMinutes: 5 },
      ],
    });
    const incident = await openIncident(vigil);
    const queued = await page(incident);
    expect(queued.map((m) => [m.kind, m.nextAttemptAt - clock.now(), m.cancelIfAcknowledged])).toEqual([
      ['email', 0, false],
      ['webhook', 300_000, true],
    ]);
    await vigil.workers.runOnce();
    expect(mail.mails).toHaveLength(1);
    expect(mail.mails[0]).toMatchObject({ from: 'vigil@example.test', to: ['alice@example.test'], user: 'vigil' });
    expect(mail.mails[0]!.data).toContain(`Subject: [SEV3] INC-${incident.number} Hot wallet drained (triggered)`);
    expect(mail.mails[0]!.data).toContain('Reason: escalation level 1');
    expect(mail.mails[0]!.data).toContain('text/html');

    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: incident.id, action: 'acknowledge', actor: admin }));
    clock.advance(5 * 60_000);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(0);
    expect((await message(queued[1]!.id)).state).toBe('cancelled');
    expect((await timeline(incident)).at(-1)).toBe(`Cancelled the 5 min delayed notification to alice/hook by webhook: INC-${incident.number} was acknowledged before it was due`);
  });

  it('sends a delayed page when it falls due and the incident is still triggered', async () => {
    await setup();
    const hook = await receiver();
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'hook', kind: 'webhook', url: hook.url }], rules: [{ severities: ['SEV3'], methods: ['hook'], delayMinutes: 5 }] });
    const incident = await openIncident(vigil);
    await page(incident);
    await vigil.workers.runOnce();
    clock.advance(5 * 60_000 - 1);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(0);
    clock.advance(1);
    await vigil.workers.runOnce();
    expect(hook.requests).toHaveLength(1);
  });

  it('a refused mailbox (SMTP 550) is dead at once', async () => {
    const mail = await smtp({ rejectRecipients: true });
    await setup({ smtp: { host: '127.0.0.1', port: mail.port, secure: false, from: 'vigil@example.test' } });
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'mail', kind: 'email', to: ['nobody@example.test'] }], rules: [{ severities: ['SEV3'], methods: ['mail'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);
    await vigil.workers.runOnce();
    expect(await message(queued!.id)).toMatchObject({ state: 'dead', lastStatus: 550 });
  });

  it('does not throw for an unknown person or one with no rule for the severity: the timeline says why', async () => {
    await setup();
    await putPerson({ handle: 'bob', name: 'Bob', methods: [{ id: 'mail', kind: 'email', to: 'bob@example.test' }], rules: [{ severities: ['SEV1'], methods: ['mail'] }] });
    const incident = await openIncident(vigil);
    expect(await page(incident, 'carol')).toEqual([]);
    expect(await page(incident, 'bob')).toEqual([]);
    expect(await timeline(incident)).toEqual(['Could not notify carol (escalation level 1): no person with handle carol', 'Could not notify bob (escalation level 1): no contact rule of bob covers SEV3']);
  });

  it('never enqueues twice for the same idempotency key', async () => {
    await setup();
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'mail', kind: 'email', to: 'a@example.test' }], rules: [{ severities: ['SEV3'], methods: ['mail'] }] });
    const incident = await openIncident(vigil);
    const first = await page(incident, 'alice', 'esc:7');
    const again = await page(incident, 'alice', 'esc:7');
    expect(again.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(await vigil.store.read.listOutboxMessages({ incidentId: incident.id, limit: 10 })).toHaveLength(1);
    expect((await timeline(incident)).filter((m) => m.startsWith('Notifying'))).toHaveLength(1);
  });

  it('posts every new incident and status change to the team channels subscribed to its service and severity', async () => {
    await setup();
    const slack = await receiver();
    const other = await receiver();
    const create = (definition: object) => vigil.store.write((tx) => vigil.notifications.createChannel(tx, { definition, actor: admin }));
    await create({ name: '#incidents', kind: 'slack', url: `${slack.url}/services/T/B/x`, services: ['wallets'], severities: ['SEV1', 'SEV2', 'SEV3'] });
    await create({ name: '#nodes', kind: 'discord', url: other.url, services: ['nodes'] });
    await create({ name: '#sev1', kind: 'teams', url: other.url, severities: ['SEV1'] });
    const incident = await openIncident(vigil);
    await vigil.workers.runOnce();
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: incident.id, action: 'resolve', actor: admin }));
    await vigil.workers.runOnce();
    expect(other.requests).toHaveLength(0);
    expect(slack.requests.map((r) => JSON.parse(r.body).text.split('\n')[0])).toEqual([`[SEV3] INC-${incident.number} Hot wallet drained`, `[SEV3] INC-${incident.number} Hot wallet drained`]);
    expect(slack.requests.map((r) => JSON.parse(r.body).text)).toEqual([expect.stringContaining('Reason: incident opened'), expect.stringContaining('Reason: incident resolved')]);
  });

  it('calls the Telegram Bot API sendMessage and honours retry_after on 429', async () => {
    await setup();
    const bot = await receiver((_r, i) => (i === 0 ? { status: 429, headers: { 'content-type': 'application/json' }, body: '{"ok":false,"error_code":429,"parameters":{"retry_after":42}}' } : { status: 200, body: '{"ok":true}' }));
    await putPerson({ handle: 'alice', name: 'Alice', methods: [{ id: 'tg', kind: 'telegram', botToken: '123456:ABC-token', chatId: -1001234, apiBaseUrl: bot.url }], rules: [{ severities: ['SEV3'], methods: ['tg'] }] });
    const incident = await openIncident(vigil);
    const [queued] = await page(incident);
    await vigil.workers.runOnce();
    expect((await message(queued!.id)).nextAttemptAt).toBe(clock.now() + 42_000);
    clock.advance(42_000);
    await vigil.workers.runOnce();
    expect(bot.requests.map((r) => r.path)).toEqual(['/bot123456:ABC-token/sendMessage', '/bot123456:ABC-token/sendMessage']);
    expect(JSON.parse(bot.requests[1]!.body)).toMatchObject({ chat_id: '-1001234', parse_mode: 'HTML' });
    expect((await message(queued!.id)).state).toBe('delivered');
  });

  it('stores webhook URLs, tokens and HMAC secrets encrypted: the raw rows do not contain them', async () => {
    await setup();
    await putPerson({
      handle: 'alice',
      name: 'Alice',
      methods: [
        { id: 'tg', kind: 'telegram', botToken: '987654:SUPERSECRETTOKEN', chatId: '42' },
        { id: 'hook', kind: 'webhook', url: 'https://hooks.example.test/T0/very-secret-path', secret: hmacSecret },
      ],
      rules: [],
    });
    await vigil.store.write((tx) => vigil.notifications.createChannel(tx, { definition: { name: 'ops', kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/SLACKSECRET' }, actor: admin }));
    const db = (vigil.store as KyselyStore).db;
    const rows = JSON.stringify([await db.selectFrom('people').selectAll().execute(), await db.selectFrom('team_channels').selectAll().execute()]);
    for (const secret of ['SUPERSECRETTOKEN', 'very-secret-path', hmacSecret, 'SLACKSECRET', 'hooks.slack.com']) expect(rows).not.toContain(secret);
    const audit = JSON.stringify(await vigil.store.read.listAuditRecords(0, 100));
    for (const secret of ['SUPERSECRETTOKEN', 'very-secret-path', hmacSecret, 'SLACKSECRET']) expect(audit).not.toContain(secret);
    // ...and they open again with the key.
    const person = await vigil.notifications.person(vigil.store.read, 'alice');
    expect(person.methods[0]!.config).toEqual({ kind: 'telegram', botToken: '987654:SUPERSECRETTOKEN', chatId: '42' });
  });
});

/** Claims the due messages the way another instance's dispatcher does, and drops them: a crash before delivery. */
async function claimWithoutDelivering(vigil: Vigil): Promise<string[]> {
  const dispatcher = new OutboxDispatcher({
    store: vigil.store,
    clock: vigil.clock,
    recorder: new Recorder({ clock: vigil.clock, ids: vigil.ids }),
    notifier: new ChannelNotifier({ timeoutMs: 1_000, clock: vigil.clock, smtp: undefined }),
    service: vigil.notifications,
    policy: { baseMs: 1_000, factor: 2, capMs: 60_000, maxAttempts: 4 },
    random: () => 0.5,
    leaseMs: 30_000,
    batchSize: 10,
    publicUrl: undefined,
  });
  return (await dispatcher.claim()).map((c) => c.message.id);
}
