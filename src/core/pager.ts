import type { Actor } from './actor.js';
import type { Incident } from './incident.js';
import type { StoreTx } from './store.js';

export interface PageRequest {
  readonly incident: Incident;
  /** Why this page: `escalation level 2 (L2 engineer)`. */
  readonly reason: string;
  /** The same cause never pages twice: a retried timer reuses the key. */
  readonly idempotencyKey: string;
  readonly actor: Actor;
}

/**
 * How escalation reaches people: it enqueues notifications in the same write unit (the durable
 * outbox delivers them after commit). A person is paged by their contact rules; a channel is a
 * team destination. Unknown people or channels do not throw: the pager records why nobody was
 * reached, so escalation carries on to the next level.
 */
export interface Pager {
  notifyPerson(tx: StoreTx, request: PageRequest & { readonly handle: string }): Promise<readonly unknown[]>;
  notifyChannel(tx: StoreTx, request: PageRequest & { readonly channel: string }): Promise<readonly unknown[]>;
}
