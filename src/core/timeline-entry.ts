import type { Actor } from './actor.js';
import type { JsonObject } from './alert.js';

/** What kind of thing a timeline entry records. */
export type TimelineKind =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.resolved'
  | 'incident.reopened'
  | 'incident.assigned'
  | 'incident.severity_changed'
  | 'incident.note'
  | 'alert.attached'
  | 'alert.resolved'
  | 'alert.retriggered'
  | 'alert.labelled'
  // Impact, facts and escalation.
  | 'incident.impact_scored'
  | 'incident.fact_recorded'
  | 'escalation.started'
  | 'escalation.paged'
  | 'escalation.stopped'
  | 'escalation.exhausted'
  // notifications
  | 'notification.queued'
  | 'notification.attempted'
  | 'notification.cancelled'
  | 'notification.unroutable'
  | 'notification.retried'
  // Incident roles, updates and the status page.
  | 'role.assigned'
  | 'role.handed_over'
  | 'role.released'
  | 'comms.update'
  | 'comms.update_due'
  | 'status.published'
  // Playbooks and approvals.
  | 'playbook.attached'
  | 'playbook.step_completed'
  | 'playbook.step_skipped'
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.executed';

/** One line of an incident's story, with millisecond UTC time and who did it. */
export interface TimelineEntry {
  readonly id: string;
  readonly incidentId: string;
  /** Milliseconds since the epoch, UTC. */
  readonly at: number;
  readonly actor: Actor;
  readonly kind: TimelineKind;
  /** A sentence for people. */
  readonly message: string;
  /** Structured facts of the entry (alert id, from/to status, note text, ...). */
  readonly body: JsonObject;
}
