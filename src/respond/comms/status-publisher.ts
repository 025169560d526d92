import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import { shortId } from '../../core/incident.js';
import type { AffectedComponent, ComponentStatus, StatusPost, StatusPostState } from '../../core/status-page.js';
import type { StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { findIncident } from '../incident-actions.js';
import { holderOf } from '../roles/role-holders.js';
import { findStatusComponent } from './status-components.js';

export interface PublishRequest {
  /** The incident, by id or short id. */
  readonly ref: string;
  /** Who is publishing: must hold communications_lead on the incident. */
  readonly person: string | undefined;
  /** The public title; defaults to the title of the incident's previous post. */
  readonly title?: string;
  readonly state: StatusPostState;
  readonly message: string;
  /** Components by id or name with the status this post sets; on `resolved`, unnamed ones go back to operational. */
  readonly components?: readonly { readonly ref: string; readonly status?: ComponentStatus }[];
  readonly actor: Actor;
}

/**
 * Publishing to the public status page. It is an explicit act of the incident's communications
 * lead and of nobody else: what the public reads is written for the public, never generated from
 * alerts or notes. A post may set the status of the components it affects.
 */
export class StatusPublisher {
  readonly #clock: Clock;
  readonly #ids: Ids;
  readonly #recorder: Recorder;

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#clock = options.clock;
    this.#ids = options.ids;
    this.#recorder = options.recorder;
  }

  async publish(tx: StoreTx, request: PublishRequest): Promise<StatusPost> {
    const incident = await findIncident(tx, request.ref);
    const lead = await holderOf(tx, incident.id, 'communications_lead');
    if (request.person === undefined || lead !== request.person) {
      const who = request.person === undefined ? 'the caller is not a known person (use a token created with a person)' : `${request.person} is not`;
      throw new VigilError(
        'NOT_COMMUNICATIONS_LEAD',
        `only the communications lead of ${shortId(incident)} may publish to the status page; ${who}${
          request.person === undefined ? '' : lead === undefined ? ' (nobody holds the role yet)' : ` (the lead is ${lead})`
        }`,
      );
    }
    const previous = await tx.listStatusPostsOfIncident(incident.id);
    const title = request.title ?? previous.at(-1)?.title;
    if (title === undefined) {
      throw new VigilError('VALIDATION_FAILED', 'the first post about an incident needs a public title', { details: [{ path: 'title', message: 'required on the first post' }] });
    }

    const now = this.#clock.now();
    const affected = new Map<string, AffectedComponent>();
    for (const [index, item] of (request.components ?? []).entries()) {
      const component = await findStatusComponent(tx, { service: incident.service, ref: item.ref }).catch((error: unknown) => {
        throw new VigilError('VALIDATION_FAILED', error instanceof Error ? error.message : String(error), {
          details: [{ path: `components.${index}.ref`, message: `no component ${item.ref} on the ${incident.service} status page` }],
        });
      });
      const status = item.status ?? (request.state === 'resolved' ? 'operational' : undefined);
      if (status === undefined) {
        throw new VigilError('VALIDATION_FAILED', `say what status ${component.name} is in`, { details: [{ path: `components.${index}.status`, message: 'required unless the state is resolved' }] });
      }
      affected.set(component.id, { componentId: component.id, status });
    }
    if (request.state === 'resolved') {
      // Resolving restores what this incident took down, unless the post says otherwise.
      for (const post of previous) {
        for (const c of post.components) if (!affected.has(c.componentId)) affected.set(c.componentId, { componentId: c.componentId, status: 'operational' });
      }
    }
    for (const change of affected.values()) {
      const component = await tx.getStatusComponent(change.componentId);
      if (component === undefined) {
        affected.delete(change.componentId);
        continue;
      }
      if (component.status !== change.status) await tx.putStatusComponent({ ...component, status: change.status, updatedAt: now });
    }

    const post: StatusPost = {
      id: this.#ids.id(),
      incidentId: incident.id,
      service: incident.service,
      title,
      state: request.state,
      message: request.message,
      components: [...affected.values()],
      publishedBy: request.person,
      actor: request.actor,
      at: now,
    };
    await tx.insertStatusPost(post);
    await this.#recorder.record(tx, {
      actor: request.actor,
      action: 'status.published',
      subject: `incident:${incident.id}`,
      data: { postId: post.id, service: post.service, title, state: post.state, message: post.message, components: post.components.map((c) => ({ ...c })), person: request.person },
      timeline: {
        incidentId: incident.id,
        kind: 'status.published',
        message: `Published to the ${incident.service} status page by ${request.person} (${post.state}): ${title}: ${post.message}`,
      },
    });
    return post;
  }
}
