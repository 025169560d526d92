import type { Actor } from '../../core/actor.js';
import type { JsonValue } from '../../core/alert.js';
import type { Clock } from '../../core/clock.js';
import type { EscalationRoute, StoredEscalationPolicy } from '../../core/escalation.js';
import { VigilError, validationFailed } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { escalationPolicySchema, escalationRoutesSchema } from './escalation-schema.js';

/** Finds a policy by id or name; NOT_FOUND otherwise. */
export async function findEscalationPolicy(reader: StoreReader, ref: string): Promise<StoredEscalationPolicy> {
  const found = await reader.findEscalationPolicy(ref);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no escalation policy ${ref}`);
  return found;
}

/**
 * Writes escalation policies and the routing rules that choose them. A definition is validated
 * whole, and the schedules it names must exist (a typo would otherwise surface at 3 a.m. as
 * "nobody on call"); people are not checked, so a policy can be written before its people.
 * Every change is in the audit chain with who made it.
 */
export class EscalationService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#options = options;
  }

  /** Creates the policy, or replaces the one with the same name. */
  async putPolicy(tx: StoreTx, request: { definition: unknown; actor: Actor }): Promise<StoredEscalationPolicy> {
    const parsed = escalationPolicySchema.safeParse(request.definition);
    if (!parsed.success) throw validationFailed('the escalation policy', parsed.error.issues);
    const policy = parsed.data;
    const missing: { path: string; message: string }[] = [];
    for (const [levelIndex, level] of policy.levels.entries()) {
      for (const [targetIndex, target] of level.targets.entries()) {
        if (target.kind === 'schedule' && (await tx.findSchedule(target.schedule)) === undefined) {
          missing.push({ path: `levels.${levelIndex}.targets.${targetIndex}.schedule`, message: `no schedule ${target.schedule}` });
        }
      }
    }
    if (missing.length > 0) throw new VigilError('VALIDATION_FAILED', `the escalation policy is invalid at ${missing[0]?.path}: ${missing[0]?.message}`, { details: missing });
    const existing = await tx.findEscalationPolicy(policy.name);
    const now = this.#options.clock.now();
    const stored: StoredEscalationPolicy = { id: existing?.id ?? this.#options.ids.id(), policy, createdAt: existing?.createdAt ?? now, updatedAt: now };
    await tx.putEscalationPolicy(stored);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'escalation_policy.created' : 'escalation_policy.updated',
      subject: `escalation_policy:${stored.id}`,
      data: { name: policy.name, levels: policy.levels.map((l) => ({ name: l.name, targets: l.targets.length, timeoutMinutes: l.timeoutMinutes })), repeat: policy.repeat },
    });
    return stored;
  }

  /** Deletes a policy no routing rule names; CONFLICT otherwise. */
  async deletePolicy(tx: StoreTx, request: { ref: string; actor: Actor }): Promise<void> {
    const stored = await findEscalationPolicy(tx, request.ref);
    const routes = await tx.getEscalationRoutes();
    const users = routes.flatMap((route, index) => (route.policy === stored.policy.name ? [index] : []));
    if (users.length > 0) {
      throw new VigilError('CONFLICT', `escalation policy ${stored.policy.name} is used by routing rule${users.length === 1 ? '' : 's'} ${users.join(', ')}; change the routing first`);
    }
    await tx.deleteEscalationPolicy(stored.id);
    await this.#options.recorder.record(tx, { actor: request.actor, action: 'escalation_policy.deleted', subject: `escalation_policy:${stored.id}`, data: { name: stored.policy.name } });
  }

  /** Replaces the routing rules whole; every policy they name must exist. */
  async putRoutes(tx: StoreTx, request: { routes: unknown; actor: Actor }): Promise<EscalationRoute[]> {
    const parsed = escalationRoutesSchema.safeParse(request.routes);
    if (!parsed.success) throw validationFailed('the escalation routing', parsed.error.issues);
    const missing: { path: string; message: string }[] = [];
    for (const [index, route] of parsed.data.entries()) {
      if ((await tx.findEscalationPolicy(route.policy)) === undefined) missing.push({ path: `${index}.policy`, message: `no escalation policy ${route.policy}` });
    }
    if (missing.length > 0) throw new VigilError('VALIDATION_FAILED', `the escalation routing is invalid at ${missing[0]?.path}: ${missing[0]?.message}`, { details: missing });
    await tx.putEscalationRoutes(parsed.data, this.#options.clock.now());
    await this.#options.recorder.record(tx, { actor: request.actor, action: 'escalation_routing.updated', subject: 'escalation_routing', data: { routes: JSON.parse(JSON.stringify(parsed.data)) as JsonValue } });
    return parsed.data;
  }
}
