import { systemActor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { ChannelConfig, ContactKind } from '../../core/contact.js';
import { shortId, type Incident } from '../../core/incident.js';
import type { DeliveryResult, Notification, Notifier } from '../../core/notifier.js';
import type { OutboxMessage } from '../../core/outbox-message.js';
import type { Store, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import type { Worker } from '../workers.js';
import { recipientText, type NotificationService } from './notification-service.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

/** How each attempt ended, for metrics: delivered, failed (will retry), dead. */
export type AttemptOutcome = 'delivered' | 'failed' | 'dead';

export interface OutboxDispatcherOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly notifier: Notifier;
  readonly service: NotificationService;
  readonly policy: RetryPolicy;
  /** In [0, 1): the jitter's randomness, injected so tests are deterministic. */
  readonly random: () => number;
  /** How long a claim holds; longer than a delivery's timeout, so a live claimer never loses it. */
  readonly leaseMs: number;
  /** Most messages claimed per round. */
  readonly batchSize: number;
  /** The console's base URL (`VIGIL_PUBLIC_URL`), for the link in each message. */
  readonly publicUrl: string | undefined;
  /** Told of every attempt's outcome (Prometheus counters). */
  readonly onAttempt?: (kind: ContactKind, outcome: AttemptOutcome) => void;
}

interface Claim {
  readonly message: OutboxMessage;
  /** Undefined for a notice about no incident. */
  readonly incident: Incident | undefined;
  readonly config: ChannelConfig;
}

/** A timeline entry for the message's incident, when it has one; notices are in the audit chain only. */
function onTimeline(message: OutboxMessage, entry: { kind: 'notification.attempted' | 'notification.cancelled'; message: string }) {
  return message.incidentId === null ? {} : { timeline: { incidentId: message.incidentId, ...entry } };
}

/**
 * Delivers the outbox. Each round claims the due messages in one write (state `delivering`,
 * a lease, the attempt counted), delivers them outside any transaction, and records each result
 * in a second write: delivered, pending again after a jittered backoff, or dead. Every attempt
 * is on the incident's timeline and in the audit chain. A claim whose lease ran out (the process
 * died mid-delivery) is taken again by the next round of any instance: delivery is at least
 * once, and receivers get the message id to drop a duplicate.
 */
export class OutboxDispatcher implements Worker {
  readonly name = 'outbox';
  readonly #o: OutboxDispatcherOptions;

  constructor(options: OutboxDispatcherOptions) {
    this.#o = options;
  }

  async run(): Promise<void> {
    const claims = await this.claim();
    if (claims.length === 0) return;
    const results = await Promise.all(
      claims.map((c) =>
        this.#o.notifier.deliver(c.config, this.#notification(c)).catch(
          // A notifier that throws must not leave the message leased until the lease runs out.
          (error: unknown): DeliveryResult => ({ outcome: 'retry', status: null, error: `delivery failed: ${error instanceof Error ? error.message : String(error)}` }),
        ),
      ),
    );
    await this.#o.store.write(async (tx) => {
      for (const [i, claim] of claims.entries()) await this.#settle(tx, claim, results[i]!);
    });
  }

  /**
   * Claims what is due now, cancelling delayed pages whose incident was acknowledged or resolved
   * meanwhile. Public so a test can claim and then "crash" before delivering.
   */
  async claim(): Promise<Claim[]> {
    // Look first without the write lock: most rounds find nothing due.
    if ((await this.#o.store.read.listDueOutboxMessages(this.#o.clock.now(), 1)).length === 0) return [];
    return this.#o.store.write(async (tx) => {
      const now = this.#o.clock.now();
      const due = await tx.listDueOutboxMessages(now, this.#o.batchSize);
      const claims: Claim[] = [];
      for (const message of due) {
        const incident = message.incidentId === null ? undefined : await tx.getIncident(message.incidentId);
        if (message.incidentId !== null && incident === undefined) continue;
        if (message.state === 'delivering') await this.#interrupted(tx, message);
        if (incident !== undefined && message.cancelIfAcknowledged && incident.status !== 'triggered') {
          await this.#cancel(tx, message, incident);
          continue;
        }
        const target = await this.#target(tx, message);
        if (typeof target === 'string') {
          await this.#finish(tx, { message: { ...message, attempts: message.attempts + 1 }, result: { outcome: 'dead', status: null, error: target } });
          continue;
        }
        const claimed: OutboxMessage = { ...message, state: 'delivering', attempts: message.attempts + 1, leaseUntil: now + this.#o.leaseMs, updatedAt: now };
        await tx.updateOutboxMessage(claimed);
        claims.push({ message: claimed, incident, config: target });
      }
      return claims;
    });
  }

  async #settle(tx: StoreTx, claim: Claim, result: DeliveryResult): Promise<void> {
    const current = await tx.getOutboxMessage(claim.message.id);
    // Our lease ran out and another round took the message: its attempt is the one that counts.
    if (current?.state !== 'delivering' || current.attempts !== claim.message.attempts) return;
    await this.#finish(tx, { message: current, result });
  }

  async #finish(tx: StoreTx, options: { message: OutboxMessage; result: DeliveryResult }): Promise<void> {
    const { message, result } = options;
    const now = this.#o.clock.now();
    const attempt = message.attempts;
    const who = `${recipientText(message.recipient)} by ${message.kind}`;
    let next: OutboxMessage;
    let outcome: AttemptOutcome;
    let sentence: string;
    const status = result.status === null ? '' : ` (${result.status})`;
    if (result.outcome === 'delivered') {
      outcome = 'delivered';
      next = { ...message, state: 'delivered', leaseUntil: null, lastError: null, lastStatus: result.status, deliveredAt: now, updatedAt: now };
      sentence = `Notified ${who} (${message.reason}): delivered on attempt ${attempt}${status}`;
    } else if (result.outcome === 'retry' && attempt < this.#o.policy.maxAttempts) {
      outcome = 'failed';
      const delay = retryDelay(this.#o.policy, { attempt, random: this.#o.random, ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }) });
      next = { ...message, state: 'pending', leaseUntil: null, nextAttemptAt: now + delay, lastError: result.error, lastStatus: result.status, updatedAt: now };
      sentence = `Attempt ${attempt} to notify ${who} failed: ${result.error}; next try at ${new Date(now + delay).toISOString()}`;
    } else {
      outcome = 'dead';
      next = { ...message, state: 'dead', leaseUntil: null, lastError: result.error, lastStatus: result.status, updatedAt: now };
      const why = result.outcome === 'dead' ? 'it will not pass on a retry' : `after ${attempt} attempts`;
      sentence = `Attempt ${attempt} to notify ${who} failed: ${result.error}; gave up ${why} (dead letter)`;
    }
    await tx.updateOutboxMessage(next);
    await this.#o.recorder.record(tx, {
      actor: systemActor,
      action: 'notification.attempted',
      subject: `notification:${message.id}`,
      data: {
        messageId: message.id,
        attempt,
        kind: message.kind,
        recipient: recipientText(message.recipient),
        reason: message.reason,
        outcome,
        status: result.status,
        error: result.outcome === 'delivered' ? null : result.error,
        nextAttemptAt: next.state === 'pending' ? next.nextAttemptAt : null,
      },
      ...onTimeline(message, { kind: 'notification.attempted', message: sentence }),
    });
    this.#o.onAttempt?.(message.kind, outcome);
  }

  async #interrupted(tx: StoreTx, message: OutboxMessage): Promise<void> {
    await this.#o.recorder.record(tx, {
      actor: systemActor,
      action: 'notification.attempted',
      subject: `notification:${message.id}`,
      data: { messageId: message.id, attempt: message.attempts, kind: message.kind, recipient: recipientText(message.recipient), reason: message.reason, outcome: 'interrupted', status: null, error: 'the lease ran out before a result was recorded', nextAttemptAt: this.#o.clock.now() },
      ...onTimeline(message, {
        kind: 'notification.attempted',
        message: `Attempt ${message.attempts} to notify ${recipientText(message.recipient)} by ${message.kind} was interrupted (its lease ran out); trying again`,
      }),
    });
  }

  async #cancel(tx: StoreTx, message: OutboxMessage, incident: Incident): Promise<void> {
    const now = this.#o.clock.now();
    await tx.updateOutboxMessage({ ...message, state: 'cancelled', leaseUntil: null, updatedAt: now });
    const delay = typeof message.payload.delayMinutes === 'number' ? `${message.payload.delayMinutes} min ` : '';
    await this.#o.recorder.record(tx, {
      actor: systemActor,
      action: 'notification.cancelled',
      subject: `notification:${message.id}`,
      data: { messageId: message.id, kind: message.kind, recipient: recipientText(message.recipient), reason: message.reason, incidentStatus: incident.status },
      ...onTimeline(message, {
        kind: 'notification.cancelled',
        message: `Cancelled the ${delay}delayed notification to ${recipientText(message.recipient)} by ${message.kind}: ${shortId(incident)} was ${incident.status} before it was due`,
      }),
    });
  }

  /** The decrypted config the message goes to, or why there is none any more. */
  async #target(tx: StoreTx, message: OutboxMessage): Promise<ChannelConfig | string> {
    const recipient = message.recipient;
    try {
      if (recipient.type === 'person') {
        const person = await tx.getPerson(recipient.handle);
        const method = person?.methods.find((m) => m.id === recipient.methodId);
        if (method === undefined) return `${recipient.handle} has no contact method ${recipient.methodId} any more`;
        return this.#o.service.openConfig(method.sealedConfig);
      }
      const channel = await tx.findTeamChannel(recipient.channelId);
      if (channel === undefined) return `the channel ${recipient.channel} was deleted`;
      return this.#o.service.openConfig(channel.sealedConfig);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  #notification(claim: Claim): Notification {
    const { message, incident } = claim;
    const base = this.#o.publicUrl?.replace(/\/+$/, '');
    if (incident === undefined) {
      const notice = noticeOf(message);
      return { about: 'notice', id: message.id, subject: notice.subject, title: notice.title, facts: notice.facts, reason: message.reason, url: null, at: this.#o.clock.now() };
    }
    return {
      about: 'incident',
      id: message.id,
      incidentId: incident.id,
      incidentRef: shortId(incident),
      title: incident.title,
      service: incident.service,
      severity: incident.severity,
      status: incident.status,
      reason: message.reason,
      url: base === undefined || base === '' ? null : `${base}/incidents/${shortId(incident)}`,
      at: this.#o.clock.now(),
    };
  }
}

/** What a notice message says, as `NotificationService.notifyPersonOfNotice` stored it. */
function noticeOf(message: OutboxMessage): { subject: string; title: string; facts: { label: string; value: string }[] } {
  const notice = message.payload.notice;
  const object = notice !== null && typeof notice === 'object' && !Array.isArray(notice) ? notice : {};
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const facts = Array.isArray(object.facts)
    ? object.facts.flatMap((f) => (f !== null && typeof f === 'object' && !Array.isArray(f) ? [{ label: text(f.label, ''), value: text(f.value, '') }] : []))
    : [];
  return { subject: text(object.subject, `notification ${message.id}`), title: text(object.title, message.reason), facts };
}
