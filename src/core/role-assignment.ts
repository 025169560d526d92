import type { Actor } from './actor.js';
import type { IncidentRole } from './incident-role.js';

/**
 * One person holding one role on one incident for a while. A handover ends one assignment and
 * starts the next, so the rows of an incident are both its current holders (`releasedAt` null)
 * and the history of who held what.
 */
export interface RoleAssignment {
  readonly id: string;
  readonly incidentId: string;
  readonly role: IncidentRole;
  /** A person's handle, the same string on-call schedules use. */
  readonly person: string;
  readonly assignedAt: number;
  readonly assignedBy: Actor;
  readonly releasedAt: number | null;
  readonly releasedBy: Actor | null;
}
