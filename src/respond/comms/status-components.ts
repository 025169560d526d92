import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import type { ComponentStatus, StatusComponent } from '../../core/status-page.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';

/** A component by id, or by name within a service; NOT_FOUND otherwise. */
export async function findStatusComponent(reader: StoreReader, request: { service: string; ref: string }): Promise<StatusComponent> {
  const byId = await reader.getStatusComponent(request.ref);
  if (byId !== undefined && byId.service === request.service) return byId;
  const byName = (await reader.listStatusComponents(request.service)).find((c) => c.name === request.ref);
  if (byName === undefined) throw new VigilError('NOT_FOUND', `no status page component ${request.ref} in service ${request.service}`);
  return byName;
}

/**
 * The components of each service's status page, managed by admins. A component's status moves
 * when its communications lead publishes a post about an incident that affects it, or when an
 * admin sets it here (planned maintenance, a fix outside any incident).
 */
export class StatusComponentService {
  readonly #clock: Clock;
  readonly #ids: Ids;
  readonly #recorder: Recorder;

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#recorder = options.recorder;
  }

  /** Creates the component of this service and name, or changes the given fields of it. */
  async put(
    tx: StoreTx,
    request: { service: string; name: string; description?: string; status?: ComponentStatus; position?: number; actor: Actor },
  ): Promise<{ component: StatusComponent; created: boolean }> {
    const now = this.#clock.now();
    const all = await tx.listStatusComponents(request.service);
    const existing = all.find((c) => c.name === request.name);
    const component: StatusComponent = {
      id: existing?.id ?? this.#ids.id(),
      service: request.service,
      name: request.name,
      description: request.description ?? existing?.description ?? '',
      status: request.status ?? existing?.status ?? 'operational',
      position: request.position ?? existing?.position ?? all.reduce((max, c) => Math.max(max, c.position + 1), 0),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await tx.putStatusComponent(component);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'status_component.created' : 'status_component.updated',
      subject: `status_component:${component.id}`,
      data: {
        service: component.service,
        name: component.name,
        description: component.description,
        status: component.status,
        position: component.position,
        ...(existing === undefined ? {} : { from: existing.status }),
      },
    });
    return { component, created: existing === undefined };
  }

  async remove(tx: StoreTx, request: { service: string; ref: string; actor: Actor }): Promise<StatusComponent> {
    const component = await findStatusComponent(tx, request);
    await tx.deleteStatusComponent(component.id);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'status_component.removed',
      subject: `status_component:${component.id}`,
      data: { service: component.service, name: component.name },
    });
    return component;
  }
}
