import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import { shortId, type Incident } from '../../core/incident.js';
import type { IncidentRole } from '../../core/incident-role.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import type { StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { findIncident } from '../incident-actions.js';
import { currentAssignments, roleLabel, sharedRoles } from './role-holders.js';

export interface RoleServiceOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
}

/** What an assignment did: a first holder, a handover, or nothing because the person already holds it. */
export type AssignOutcome = 'assigned' | 'handed_over' | 'unchanged';

/** A person handle: what on-call schedules and people use, without spaces or a leading `@`. */
export function normalisePerson(text: string): string {
  const person = text.trim().replace(/^@/, '');
  if (!/^[\p{L}\p{N}._-][\p{L}\p{N}._@+-]{0,199}$/u.test(person)) {
    throw new VigilError('VALIDATION_FAILED', `not a person handle: ${JSON.stringify(text)} (letters, digits, . _ - + @)`, {
      details: [{ path: 'person', message: 'must be a handle such as alice' }],
    });
  }
  return person;
}

/**
 * Who does what on an incident. Assigning a single-holder role that someone else holds hands it
 * over: the old assignment ends and the new one starts in the same write, and the timeline says
 * "incident commander handed over from alice to bob by carol".
 */
export class RoleService {
  readonly #clock: Clock;
  readonly #ids: Ids;
  readonly #recorder: Recorder;

  constructor(options: RoleServiceOptions) {
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#recorder = options.recorder;
  }

  /** Gives `role` to `person`, handing it over from its current holder if it has one. */
  async assign(
    tx: StoreTx,
    request: { ref: string; role: IncidentRole; person: string; actor: Actor },
  ): Promise<{ incident: Incident; assignment: RoleAssignment; outcome: AssignOutcome; from: string | null }> {
    const incident = await findIncident(tx, request.ref);
    const person = normalisePerson(request.person);
    const current = currentAssignments(await tx.listRoleAssignments(incident.id)).filter((a) => a.role === request.role);
    const already = current.find((a) => a.person === person);
    if (already !== undefined) return { incident, assignment: already, outcome: 'unchanged', from: null };

    const now = this.#clock.now();
    const previous = sharedRoles.has(request.role) ? undefined : current[0];
    if (previous !== undefined) await tx.updateRoleAssignment({ ...previous, releasedAt: now, releasedBy: request.actor });
    const assignment: RoleAssignment = {
      id: this.#ids.id(),
      incidentId: incident.id,
      role: request.role,
      person,
      assignedAt: now,
      assignedBy: request.actor,
      releasedAt: null,
      releasedBy: null,
    };
    await tx.insertRoleAssignment(assignment);
    const label = roleLabel(request.role);
    if (previous === undefined) {
      await this.#recorder.record(tx, {
        actor: request.actor,
        action: 'incident.role_assigned',
        subject: `incident:${incident.id}`,
        data: { role: request.role, person },
        timeline: { incidentId: incident.id, kind: 'role.assigned', message: `${person} is ${label} of ${shortId(incident)}, assigned by ${request.actor.name}` },
      });
      return { incident, assignment, outcome: 'assigned', from: null };
    }
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.role_handed_over',
      subject: `incident:${incident.id}`,
      data: { role: request.role, from: previous.person, to: person },
      timeline: { incidentId: incident.id, kind: 'role.handed_over', message: `${label} handed over from ${previous.person} to ${person} by ${request.actor.name}` },
    });
    return { incident, assignment, outcome: 'handed_over', from: previous.person };
  }

  /**
   * Ends a holder's assignment. For technical specialists, name the person when more than one
   * holds the role.
   */
  async release(tx: StoreTx, request: { ref: string; role: IncidentRole; person?: string; actor: Actor }): Promise<RoleAssignment> {
    const incident = await findIncident(tx, request.ref);
    const person = request.person === undefined ? undefined : normalisePerson(request.person);
    const current = currentAssignments(await tx.listRoleAssignments(incident.id)).filter((a) => a.role === request.role);
    const label = roleLabel(request.role);
    const matching = person === undefined ? current : current.filter((a) => a.person === person);
    if (matching.length === 0) {
      throw new VigilError('NOT_FOUND', `${person ?? 'nobody'} ${person === undefined ? 'holds' : 'does not hold'} ${label} on ${shortId(incident)}`);
    }
    if (matching.length > 1) {
      throw new VigilError('VALIDATION_FAILED', `${matching.length} people are ${label} on ${shortId(incident)}; say which one (person)`, {
        details: [{ path: 'person', message: `one of ${matching.map((a) => a.person).join(', ')}` }],
      });
    }
    const held = matching[0]!;
    const released: RoleAssignment = { ...held, releasedAt: this.#clock.now(), releasedBy: request.actor };
    await tx.updateRoleAssignment(released);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.role_released',
      subject: `incident:${incident.id}`,
      data: { role: request.role, person: held.person },
      timeline: { incidentId: incident.id, kind: 'role.released', message: `${held.person} is no longer ${label} of ${shortId(incident)}, released by ${request.actor.name}` },
    });
    return released;
  }
}
