import type { ContactMethod, Person, TeamChannel } from '../core/contact.js';
import type { OutboxMessage } from '../core/outbox-message.js';
import { maskConfig } from '../respond/notify/secret-fields.js';
import { iso } from './present.js';

/**
 * How the API shows people, channels and outbox messages. Secrets are masked
 * (`https://hooks.slack.com/********wxyz`); sending a masked value back keeps the stored secret,
 * so a client can GET, edit and PUT a person without knowing their secrets.
 */

function presentMethod(method: ContactMethod) {
  return { id: method.id, ...(method.label === undefined ? {} : { label: method.label }), ...maskConfig(method.config) };
}

export function presentPerson(person: Person) {
  return {
    handle: person.handle,
    name: person.name,
    methods: person.methods.map(presentMethod),
    rules: person.rules.map((r) => ({ severities: r.severities, methods: r.methods, delayMinutes: r.delayMinutes })),
    createdAt: iso(person.createdAt),
    updatedAt: iso(person.updatedAt),
  };
}

export function presentChannel(channel: TeamChannel) {
  return {
    id: channel.id,
    name: channel.name,
    ...maskConfig(channel.config),
    services: channel.services,
    severities: channel.severities,
    createdAt: iso(channel.createdAt),
    updatedAt: iso(channel.updatedAt),
  };
}

export function presentOutboxMessage(message: OutboxMessage) {
  return {
    id: message.id,
    incidentId: message.incidentId,
    recipient: message.recipient,
    kind: message.kind,
    reason: message.reason,
    state: message.state,
    attempts: message.attempts,
    nextAttemptAt: iso(message.nextAttemptAt),
    leaseUntil: iso(message.leaseUntil),
    lastError: message.lastError,
    lastStatus: message.lastStatus,
    idempotencyKey: message.idempotencyKey,
    createdAt: iso(message.createdAt),
    updatedAt: iso(message.updatedAt),
    deliveredAt: iso(message.deliveredAt),
  };
}
