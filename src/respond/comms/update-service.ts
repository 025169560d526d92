import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { Ids } from '../../core/ids.js';
import { shortId } from '../../core/incident.js';
import type { IncidentUpdate, UpdateAudience } from '../../core/incident-update.js';
import type { StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { findIncident } from '../incident-actions.js';

const audienceLabel: Readonly<Record<UpdateAudience, string>> = { internal: 'Internal update', stakeholders: 'Stakeholder update' };

/**
 * Written updates on an incident: internal ones for the responders, stakeholder ones for the
 * people who depend on the service (support, leadership, partners). A stakeholder update restarts
 * the reminder cadence. Neither reaches the public status page; that takes a status post.
 */
export class UpdateService {
  readonly #clock: Clock;
  readonly #ids: Ids;
  readonly #recorder: Recorder;

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#recorder = options.recorder;
  }

  async post(tx: StoreTx, request: { ref: string; audience: UpdateAudience; body: string; actor: Actor }): Promise<IncidentUpdate> {
    const incident = await findIncident(tx, request.ref);
    const update: IncidentUpdate = {
      id: this.#ids.id(),
      incidentId: incident.id,
      audience: request.audience,
      body: request.body,
      actor: request.actor,
      at: this.#clock.now(),
    };
    await tx.insertIncidentUpdate(update);
    await tx.updateIncident({ ...incident, updatedAt: update.at });
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'incident.update_posted',
      subject: `incident:${incident.id}`,
      data: { updateId: update.id, audience: update.audience, body: update.body },
      timeline: { incidentId: incident.id, kind: 'comms.update', message: `${audienceLabel[update.audience]} on ${shortId(incident)} by ${request.actor.name}: ${update.body}` },
    });
    return update;
  }
}
