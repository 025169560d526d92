import type { Actor } from '../core/actor.js';
import type { AlertSeverity, AlertSource } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Ids } from '../core/ids.js';
import type { InhibitionRule } from '../core/inhibition-rule.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import { alertLabelSet, matchesAll, parseMatcherList, printMatchers } from './matchers.js';

const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An alert as inhibition sees it: where it came from, its identity and its labels. */
export interface InhibitionCandidate {
  readonly id: string;
  readonly integrationId: string;
  readonly dedupKey: string;
  readonly service: string;
  readonly source: AlertSource;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
}

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

/**
 * The first firing alert that inhibits `target` under one of `rules`, with the rule: it matches
 * the rule's source matchers, `target` matches its target matchers, and both have the same value
 * for every `equal` label (a missing label counts as ""). An alert never inhibits itself (same
 * integration and dedup key), even when it matches both sides.
 */
export function findInhibitor(options: {
  rules: readonly InhibitionRule[];
  target: Omit<InhibitionCandidate, 'id'>;
  firing: readonly InhibitionCandidate[];
}): { rule: InhibitionRule; inhibitor: InhibitionCandidate } | undefined {
  const targetLabels = alertLabelSet(options.target);
  for (const rule of options.rules) {
    if (rule.removedAt !== null || !matchesAll(rule.targetMatchers, targetLabels)) continue;
    for (const source of options.firing) {
      if (source.integrationId === options.target.integrationId && source.dedupKey === options.target.dedupKey) continue;
      const sourceLabels = alertLabelSet(source);
      if (!matchesAll(rule.sourceMatchers, sourceLabels)) continue;
      if (rule.equal.every((name) => (sourceLabels[name] ?? '') === (targetLabels[name] ?? ''))) return { rule, inhibitor: source };
    }
  }
  return undefined;
}

/** Creates and removes inhibition rules; every change on the audit chain. */
export class InhibitionRuleService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
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
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'inhibition_rule.removed',
      subject: `inhibition-rule:${current.id}`,
      data: { name: current.name },
    });
    return removed;
  }
}
