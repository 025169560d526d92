import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Ids } from '../core/ids.js';
import type { InhibitionRule } from '../core/inhibition-rule.js';
import type { InhibitionSources } from './inhibition-sources.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import { parseMatcherList, printMatchers } from './matchers.js';

const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InhibitionRuleRequest {
  readonly name?: string;
  readonly sourceMatchers: readonly string[];
  readonly targetMatchers: readonly string[];
  readonly equal?: readonly string[];
  readonly comment?: string;
  readonly actor: Actor;
}

function invalid(path: string, message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] });
}

/** Finds a rule by id; NOT_FOUND otherwise. */
export async function findInhibitionRule(reader: StoreReader, id: string): Promise<InhibitionRule> {
  const found = await reader.getInhibitionRule(id);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no inhibition rule ${id}`);
  return found;
}

/** Creates and removes inhibition rules; every change on the audit chain. */
export class InhibitionRuleService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder; sources: InhibitionSources };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder; sources: InhibitionSources }) {
    this.#options = options;
  }

  async create(tx: StoreTx, request: InhibitionRuleRequest): Promise<InhibitionRule> {
    const now = this.#options.clock.now();
    if (request.sourceMatchers.length === 0) throw invalid('sourceMatchers', 'must hold at least one matcher');
    if (request.targetMatchers.length === 0) throw invalid('targetMatchers', 'must hold at least one matcher');
    const sourceMatchers = parseMatcherList(request.sourceMatchers, 'sourceMatchers');
    const targetMatchers = parseMatcherList(request.targetMatchers, 'targetMatchers');
    const equal = [...new Set(request.equal ?? [])];
    equal.forEach((name, index) => {
      if (!labelName.test(name)) throw invalid(`equal.${index}`, `${JSON.stringify(name)} is not a label name`);
    });
    const rule: InhibitionRule = {
      id: this.#options.ids.id(),
      name: request.name?.trim() || `${printMatchers(sourceMatchers)} inhibits ${printMatchers(targetMatchers)}`,
      sourceMatchers,
      targetMatchers,
      equal,
      comment: request.comment?.trim() ?? '',
      createdBy: request.actor,
      createdAt: now,
      removedAt: null,
      removedBy: null,
    };
    await tx.insertInhibitionRule(rule);
    await this.#options.sources.ruleCreated(tx, rule);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'inhibition_rule.created',
      subject: `inhibition-rule:${rule.id}`,
      data: { name: rule.name, sourceMatchers: printMatchers(sourceMatchers), targetMatchers: printMatchers(targetMatchers), equal },
    });
    return rule;
  }

  /** Removes a rule: it inhibits nothing from now on. INVALID_TRANSITION when already removed. */
  async remove(tx: StoreTx, request: { id: string; actor: Actor }): Promise<InhibitionRule> {
    const current = await findInhibitionRule(tx, request.id);
    if (current.removedAt !== null) throw new VigilError('INVALID_TRANSITION', `inhibition rule ${current.id} was already removed`);
    const removed: InhibitionRule = { ...current, removedAt: this.#options.clock.now(), removedBy: request.actor };
    await tx.updateInhibitionRule(removed);
    await this.#options.sources.ruleRemoved(tx, removed);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'inhibition_rule.removed',
      subject: `inhibition-rule:${current.id}`,
      data: { name: current.name },
    });
    return removed;
  }
}
