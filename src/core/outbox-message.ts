import type { ContactKind } from './contact.js';
import type { JsonObject } from './alert.js';

/**
 * pending -> delivering (leased) -> delivered | pending again (later `nextAttemptAt`) | dead.
 * `cancelled` is for a delayed message whose incident was acknowledged or resolved before it was due.
 */
export type OutboxState = 'pending' | 'delivering' | 'delivered' | 'dead' | 'cancelled';
export const outboxStates: readonly OutboxState[] = ['pending', 'delivering', 'delivered', 'dead', 'cancelled'];

/** Who a message is for: one method of a person, or a team channel. */
export type OutboxRecipient =
  | { readonly type: 'person'; readonly handle: string; readonly methodId: string }
  | { readonly type: 'channel'; readonly channelId: string; readonly channel: string };

/** One notification in the durable outbox; the dispatcher delivers it with retries. */
export interface OutboxMessage {
  readonly id: string;
  /** The incident it is about; null for a notice about no incident (a silence about to end). */
  readonly incidentId: string | null;
  readonly recipient: OutboxRecipient;
  /** The kind of channel it goes through, for display and metrics. */
  readonly kind: ContactKind;
  /** Why it is sent: `escalation level 2`, `incident opened`, `status changed to resolved`. */
  readonly reason: string;
  /** What the message says beyond the incident's current facts (the event that caused it). */
  readonly payload: JsonObject;
  /** Unique: enqueuing again with the same key returns the message already queued. */
  readonly idempotencyKey: string;
  readonly state: OutboxState;
  /** Attempts started so far (a claim counts, even if the process died before the answer). */
  readonly attempts: number;
  /** When it may be tried (next); for a delayed message, when it is due. */
  readonly nextAttemptAt: number;
  /** While `delivering`: until when this claim holds; after it, another round may reclaim it. */
  readonly leaseUntil: number | null;
  /** True for a delayed page: cancelled if the incident is acknowledged or resolved before it is due. */
  readonly cancelIfAcknowledged: boolean;
  readonly lastError: string | null;
  /** The HTTP status (or SMTP reply code) of the last attempt, when there was one. */
  readonly lastStatus: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deliveredAt: number | null;
}

export interface OutboxFilter {
  readonly states?: readonly OutboxState[];
  readonly incidentId?: string;
  readonly limit: number;
}
