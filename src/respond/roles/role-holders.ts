import type { IncidentRole } from '../../core/incident-role.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import type { StoreReader } from '../../core/store.js';

/** Roles more than one person may hold at once; every other role has one holder at a time. */
export const sharedRoles: ReadonlySet<IncidentRole> = new Set<IncidentRole>(['technical_specialist']);

/** `incident_commander` -> `incident commander`, for sentences on the timeline. */
export function roleLabel(role: IncidentRole): string {
  return role.replaceAll('_', ' ');
}

/** The assignments still held, in the order they started. */
export function currentAssignments(assignments: readonly RoleAssignment[]): RoleAssignment[] {
  return assignments.filter((a) => a.releasedAt === null);
}

/**
 * Who holds `role` on the incident now; for technical specialists, the one who has held it
 * longest. Other respond parts call this (reminders go to the communications lead, playbook steps
 * to their owner role).
 */
export async function holderOf(reader: StoreReader, incidentId: string, role: IncidentRole): Promise<string | undefined> {
  const current = currentAssignments(await reader.listRoleAssignments(incidentId));
  return current.find((a) => a.role === role)?.person;
}
