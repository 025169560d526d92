import type { Actor } from '../../core/actor.js';
import { systemActor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { ChannelConfig, ContactMethod, Person, StoredContactMethod, StoredPerson, StoredTeamChannel, TeamChannel } from '../../core/contact.js';
import { VigilError, validationFailed } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import type { IncidentChange, IncidentChangeCause, IncidentObserver } from '../../core/incident-observer.js';
import { severities, shortId, type Incident } from '../../core/incident.js';
import type { OutboxMessage, OutboxRecipient } from '../../core/outbox-message.js';
import type { SecretBox } from '../../core/secret-box.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { channelSchema, configOf, methodOf, personSchema, rulesOf } from './contact-schema.js';
import { keepMaskedSecrets } from './secret-fields.js';

export interface NotificationServiceOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  readonly box: SecretBox;
}

/** What `notifyPerson` and `notifyChannel` are asked. */
export interface NotifyRequest {
  readonly incident: Incident;
  /** Said in the message and on the timeline: `escalation level 2`. */
  readonly reason: string;
  /** The cause's key; the same key never enqueues twice (an escalation step retried after a crash). */
  readonly idempotencyKey: string;
  readonly actor: Actor;
}

/** The team channel posts each incident change asks for, and why. */
const channelReasons: Partial<Record<IncidentChangeCause, (incident: Incident) => string>> = {
  opened: () => 'incident opened',
  acknowledged: () => 'incident acknowledged',
  resolved: () => 'incident resolved',
  reopened: () => 'incident reopened',
  severity_changed: (incident) => `severity changed to ${incident.severity}`,
};

const MINUTE = 60_000;

/**
 * People, team channels and the outbox's front door. `notifyPerson` turns a person's contact
 * rules into outbox messages (one per method, each with its delay); `notifyChannel` posts to a
 * team channel; as an incident observer it posts every new incident and status change to the
 * channels subscribed to its service and severity. Everything it enqueues is on the incident's
 * timeline; the `OutboxDispatcher` delivers it.
 */
/** What a new outbox message says; the rest of it is the same for every new one. */
type MessageDraft = Pick<OutboxMessage, 'incidentId' | 'recipient' | 'kind' | 'reason' | 'payload' | 'idempotencyKey' | 'nextAttemptAt' | 'cancelIfAcknowledged'>;

export class NotificationService implements IncidentObserver {
  readonly #clock: Clock;
  readonly #ids: Ids;
  readonly #recorder: Recorder;
  readonly #box: SecretBox;

  constructor(options: NotificationServiceOptions) {
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#recorder = options.recorder;
    this.#box = options.box;
  }

  // --- people ---

  /**
   * Creates or replaces a person. `handle` (from the URL) wins over the body's; a masked secret
   * sent back as the API showed it keeps the stored one.
   */
  async putPerson(tx: StoreTx, request: { handle?: string; definition: unknown; actor: Actor }): Promise<Person> {
    const body = request.definition;
    if (request.handle !== undefined && isObject(body) && body.handle !== undefined && body.handle !== request.handle) {
      throw new VigilError('VALIDATION_FAILED', `the body's handle ${JSON.stringify(body.handle)} is not the URL's ${request.handle}`, { details: [{ path: 'handle', message: 'must match the URL' }] });
    }
    const parsed = personSchema.safeParse(request.handle !== undefined && isObject(body) ? { ...body, handle: request.handle } : body);
    if (!parsed.success) throw validationFailed('the person', parsed.error.issues);
    const input = parsed.data;
    const existing = await tx.getPerson(input.handle);
    const previous = existing === undefined ? [] : this.#openMethods(existing);
    const methods = input.methods.map((m, i) => {
      const method = methodOf(m);
      return { ...method, config: keepMaskedSecrets(method.config, previous.find((p) => p.id === method.id)?.config, `methods.${i}`) };
    });
    const now = this.#clock.now();
    const person: Person = { handle: input.handle, name: input.name, methods, rules: rulesOf(input.rules), createdAt: existing?.createdAt ?? now, updatedAt: now };
    await tx.putPerson({ ...person, methods: methods.map((m) => this.#sealMethod(m)) });
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'person.created' : 'person.updated',
      subject: `person:${person.handle}`,
      // Kinds and ids only: addresses and secrets stay out of the audit chain.
      data: { handle: person.handle, name: person.name, methods: methods.map((m) => `${m.id}:${m.config.kind}`), rules: person.rules.length },
    });
    return person;
  }

  /** The person with their secrets decrypted (the API masks them); NOT_FOUND otherwise. */
  async person(reader: StoreReader, handle: string): Promise<Person> {
    const stored = await reader.getPerson(handle);
    if (stored === undefined) throw new VigilError('NOT_FOUND', `no person ${handle}`);
    return { ...stored, methods: this.#openMethods(stored) };
  }

  async people(reader: StoreReader): Promise<Person[]> {
    return (await reader.listPeople()).map((p) => ({ ...p, methods: this.#openMethods(p) }));
  }

  // --- team channels ---

  /** Creates a team channel; CONFLICT when the name is taken. */
  async createChannel(tx: StoreTx, request: { definition: unknown; actor: Actor }): Promise<TeamChannel> {
    const parsed = channelSchema.safeParse(request.definition);
    if (!parsed.success) throw validationFailed('the channel', parsed.error.issues);
    const input = parsed.data;
    if ((await tx.findTeamChannel(input.name)) !== undefined) throw new VigilError('CONFLICT', `a channel named ${input.name} exists; delete it first or pick another name`);
    const config = keepMaskedSecrets(configOf(input), undefined, '(root)');
    const now = this.#clock.now();
    const channel: TeamChannel = { id: this.#ids.id(), name: input.name, config, services: input.services, severities: input.severities, createdAt: now, updatedAt: now };
    await tx.putTeamChannel(this.#sealChannel(channel));
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'channel.created',
      subject: `channel:${channel.id}`,
      data: { name: channel.name, kind: config.kind, services: [...channel.services], severities: [...channel.severities] },
    });
    return channel;
  }

  async deleteChannel(tx: StoreTx, request: { ref: string; actor: Actor }): Promise<TeamChannel> {
    const channel = await this.channel(tx, request.ref);
    await tx.deleteTeamChannel(channel.id);
    await this.#recorder.record(tx, { actor: request.actor, action: 'channel.deleted', subject: `channel:${channel.id}`, data: { name: channel.name, kind: channel.config.kind } });
    return channel;
  }

  /** By id or name, secrets decrypted; NOT_FOUND otherwise. */
  async channel(reader: StoreReader, ref: string): Promise<TeamChannel> {
    const stored = await reader.findTeamChannel(ref);
    if (stored === undefined) throw new VigilError('NOT_FOUND', `no channel ${ref}`);
    return this.#openChannel(stored);
  }

  async channels(reader: StoreReader): Promise<TeamChannel[]> {
    return (await reader.listTeamChannels()).map((c) => this.#openChannel(c));
  }

  // --- sending ---

  /**
   * Enqueues one message per method the person's contact rules choose for the incident's
   * current severity, each after its rule's delay. An unknown person, or one with no rule for
   * the severity, does not throw: the timeline says who could not be notified and why, and the
   * answer is []. Enqueuing again with the same idempotency key returns the same messages.
   */
  async notifyPerson(tx: StoreTx, request: NotifyRequest & { handle: string }): Promise<OutboxMessage[]> {
    const { handle, incident } = request;
    const person = await tx.getPerson(handle);
    if (person === undefined) return this.#unroutable(tx, request, { who: `${handle}`, why: `no person with handle ${handle}` });
    const rules = person.rules.filter((r) => r.severities.includes(incident.severity));
    if (rules.length === 0) return this.#unroutable(tx, request, { who: handle, why: `no contact rule of ${handle} covers ${incident.severity}` });
    const choices = new Map<string, { method: StoredContactMethod; delayMinutes: number }>();
    for (const rule of rules) {
      for (const id of rule.methods) {
        const method = person.methods.find((m) => m.id === id);
        if (method !== undefined) choices.set(`${id}:${rule.delayMinutes}`, { method, delayMinutes: rule.delayMinutes });
      }
    }
    if (choices.size === 0) return this.#unroutable(tx, request, { who: handle, why: `the contact rules of ${handle} name no method that exists` });
    const planned = [...choices.values()].map(({ method, delayMinutes }) => ({
      recipient: { type: 'person', handle, methodId: method.id } as const,
      kind: method.kind,
      delayMinutes,
      key: `${request.idempotencyKey}:person:${handle}:${method.id}:${delayMinutes}`,
    }));
    const plan = planned.map((p) => `${p.kind} ${p.recipient.methodId} ${p.delayMinutes === 0 ? 'now' : `in ${p.delayMinutes} min`}`).join(', ');
    return this.#enqueue(tx, { request, planned, who: `${person.name} (${handle})`, plan });
  }

  /** Enqueues one post to a team channel (by id or name); an unknown channel is on the timeline, not thrown. */
  async notifyChannel(tx: StoreTx, request: NotifyRequest & { channel: string }): Promise<OutboxMessage[]> {
    const channel = await tx.findTeamChannel(request.channel);
    if (channel === undefined) return this.#unroutable(tx, request, { who: `channel ${request.channel}`, why: `no channel ${request.channel}` });
    return this.#notifyStoredChannel(tx, channel, request);
  }

  /** Enqueues one post to a channel already read from the store. */
  async #notifyStoredChannel(tx: StoreTx, channel: StoredTeamChannel, request: NotifyRequest): Promise<OutboxMessage[]> {
    const planned = [
      {
        recipient: { type: 'channel', channelId: channel.id, channel: channel.name } as const,
        kind: channel.kind,
        delayMinutes: 0,
        key: `${request.idempotencyKey}:channel:${channel.id}`,
      },
    ];
    return this.#enqueue(tx, { request, planned, who: `channel ${channel.name}`, plan: channel.kind });
  }

  /**
   * Enqueues a notice about no incident (a silence about to end) to a person, by the methods
   * their contact rules choose for the least urgent severity they cover (a notice is never a
   * page), without the rules' delays. Unknown person or no rule: an audit record says so, and
   * the answer is []. The same idempotency key never enqueues twice.
   */
  async notifyPersonOfNotice(
    tx: StoreTx,
    request: { handle: string; notice: { subject: string; title: string; facts: readonly { label: string; value: string }[] }; reason: string; idempotencyKey: string; actor: Actor },
  ): Promise<OutboxMessage[]> {
    const { handle, notice } = request;
    const person = await tx.getPerson(handle);
    const leastUrgent = [...severities].reverse().find((severity) => person?.rules.some((r) => r.severities.includes(severity)));
    const methodIds = new Set(person?.rules.filter((r) => leastUrgent !== undefined && r.severities.includes(leastUrgent)).flatMap((r) => r.methods));
    const methods = person?.methods.filter((m) => methodIds.has(m.id)) ?? [];
    if (methods.length === 0) {
      const why = person === undefined ? `no person with handle ${handle}` : `the contact rules of ${handle} name no method`;
      await this.#recorder.record(tx, { actor: request.actor, action: 'notification.unroutable', subject: `notice:${notice.subject}`, data: { who: handle, why, reason: request.reason } });
      return [];
    }
    const now = this.#clock.now();
    const payload = { notice: { subject: notice.subject, title: notice.title, facts: notice.facts.map((f) => ({ label: f.label, value: f.value })) } };
    const { messages, created } = await this.#insertNew(
      tx,
      now,
      methods.map((method) => ({
        incidentId: null,
        recipient: { type: 'person', handle, methodId: method.id },
        kind: method.kind,
        reason: request.reason,
        payload,
        idempotencyKey: `${request.idempotencyKey}:person:${handle}:${method.id}`,
        nextAttemptAt: now,
        cancelIfAcknowledged: false,
      })),
    );
    // As for pages: a retried cause that enqueued nothing new records nothing new.
    if (created.length > 0) {
      await this.#recorder.record(tx, {
        actor: request.actor,
        action: 'notification.queued',
        subject: `notice:${notice.subject}`,
        data: { reason: request.reason, idempotencyKey: request.idempotencyKey, messages: created.map((m) => ({ id: m.id, kind: m.kind, recipient: recipientText(m.recipient) })) },
      });
    }
    return messages;
  }

  /** Puts a dead (or cancelled) message back in the outbox for a fresh run of attempts. */
  async retry(tx: StoreTx, request: { id: string; actor: Actor }): Promise<OutboxMessage> {
    const message = await tx.getOutboxMessage(request.id);
    if (message === undefined) throw new VigilError('NOT_FOUND', `no notification ${request.id}`);
    if (message.state !== 'dead' && message.state !== 'cancelled') {
      throw new VigilError('INVALID_TRANSITION', `notification ${message.id} is ${message.state}; only a dead or cancelled one can be retried`);
    }
    const now = this.#clock.now();
    const retried: OutboxMessage = { ...message, state: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null, cancelIfAcknowledged: false, updatedAt: now };
    await tx.updateOutboxMessage(retried);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'notification.retried',
      subject: `notification:${message.id}`,
      data: { messageId: message.id, was: message.state, kind: message.kind, recipient: recipientText(message.recipient) },
      ...(message.incidentId === null
        ? {}
        : {
            timeline: {
              incidentId: message.incidentId,
              kind: 'notification.retried',
              message: `${request.actor.name} put the ${message.state} notification to ${recipientText(message.recipient)} by ${message.kind} back in the outbox`,
            },
          }),
    });
    return retried;
  }

  /**
   * Posts new incidents and status changes to the team channels subscribed to them, and a change
   * of severity whatever caused it (a person, a more severe alert, the impact score).
   */
  async incidentChanged(tx: StoreTx, change: IncidentChange): Promise<void> {
    const severityMoved = change.before !== undefined && change.before.severity !== change.after.severity;
    const reason = channelReasons[change.cause] ?? (severityMoved ? channelReasons.severity_changed : undefined);
    if (reason === undefined) return;
    const incident = change.after;
    const channels = (await tx.listTeamChannels()).filter(
      (c) => (c.services.length === 0 || c.services.includes(incident.service)) && (c.severities.length === 0 || c.severities.includes(incident.severity)),
    );
    for (const channel of channels) {
      await this.#notifyStoredChannel(tx, channel, {
        incident,
        reason: reason(incident),
        idempotencyKey: `incident:${incident.id}:${change.cause}:${incident.updatedAt}`,
        actor: systemActor,
      });
    }
  }

  async #enqueue(
    tx: StoreTx,
    options: {
      request: NotifyRequest;
      planned: readonly { recipient: OutboxRecipient; kind: OutboxMessage['kind']; delayMinutes: number; key: string }[];
      who: string;
      plan: string;
    },
  ): Promise<OutboxMessage[]> {
    const { request, planned } = options;
    const now = this.#clock.now();
    const { messages, created } = await this.#insertNew(
      tx,
      now,
      planned.map((p) => ({
        incidentId: request.incident.id,
        recipient: p.recipient,
        kind: p.kind,
        reason: request.reason,
        payload: { incidentRef: shortId(request.incident), title: request.incident.title, severity: request.incident.severity, status: request.incident.status, delayMinutes: p.delayMinutes },
        idempotencyKey: p.key,
        nextAttemptAt: now + p.delayMinutes * MINUTE,
        cancelIfAcknowledged: p.delayMinutes > 0,
      })),
    );
    if (created.length > 0) {
      await this.#recorder.record(tx, {
        actor: request.actor,
        action: 'notification.queued',
        subject: `incident:${request.incident.id}`,
        data: { reason: request.reason, idempotencyKey: request.idempotencyKey, messages: created.map((m) => ({ id: m.id, kind: m.kind, recipient: recipientText(m.recipient), due: m.nextAttemptAt })) },
        timeline: { incidentId: request.incident.id, kind: 'notification.queued', message: `Notifying ${options.who} (${request.reason}): ${options.plan}` },
      });
    }
    return messages;
  }

  /**
   * Inserts a pending message for each draft whose idempotency key is new. Returns every message
   * (the ones already queued under their key too) and, apart, the ones it inserted.
   */
  async #insertNew(tx: StoreTx, now: number, drafts: readonly MessageDraft[]): Promise<{ messages: OutboxMessage[]; created: OutboxMessage[] }> {
    const messages: OutboxMessage[] = [];
    const created: OutboxMessage[] = [];
    for (const draft of drafts) {
      const existing = await tx.findOutboxMessageByKey(draft.idempotencyKey);
      if (existing !== undefined) {
        messages.push(existing);
        continue;
      }
      const message: OutboxMessage = {
        ...draft,
        id: this.#ids.id(),
        state: 'pending',
        attempts: 0,
        leaseUntil: null,
        lastError: null,
        lastStatus: null,
        createdAt: now,
        updatedAt: now,
        deliveredAt: null,
      };
      await tx.insertOutboxMessage(message);
      messages.push(message);
      created.push(message);
    }
    return { messages, created };
  }

  async #unroutable(tx: StoreTx, request: NotifyRequest, failure: { who: string; why: string }): Promise<OutboxMessage[]> {
    const { who, why } = failure;
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'notification.unroutable',
      subject: `incident:${request.incident.id}`,
      data: { who, why, reason: request.reason, idempotencyKey: request.idempotencyKey },
      timeline: { incidentId: request.incident.id, kind: 'notification.unroutable', message: `Could not notify ${who} (${request.reason}): ${why}` },
    });
    return [];
  }

  #sealMethod(method: ContactMethod): StoredContactMethod {
    return { id: method.id, ...(method.label === undefined ? {} : { label: method.label }), kind: method.config.kind, sealedConfig: this.#box.seal(JSON.stringify(method.config)) };
  }

  #openMethods(person: StoredPerson): ContactMethod[] {
    return person.methods.map((m) => ({ id: m.id, ...(m.label === undefined ? {} : { label: m.label }), config: this.openConfig(m.sealedConfig) }));
  }

  #sealChannel(channel: TeamChannel): StoredTeamChannel {
    const { config, ...rest } = channel;
    return { ...rest, kind: config.kind, sealedConfig: this.#box.seal(JSON.stringify(config)) };
  }

  #openChannel(stored: StoredTeamChannel): TeamChannel {
    const { kind: _kind, sealedConfig, ...rest } = stored;
    return { ...rest, config: this.openConfig(sealedConfig) };
  }

  /** A stored config, decrypted. */
  openConfig(sealed: string): ChannelConfig {
    return JSON.parse(this.#box.open(sealed)) as ChannelConfig;
  }
}

/** `alice/phone` or `#incidents`: who a message is for, in a sentence. */
export function recipientText(recipient: OutboxRecipient): string {
  return recipient.type === 'person' ? `${recipient.handle}/${recipient.methodId}` : `channel ${recipient.channel}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
