import type { Actor } from '../core/actor.js';
import type { AlertSeverity, AlertSource } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Ids } from '../core/ids.js';
import type { InhibitionRule, InhibitionSource } from '../core/inhibition-rule.js';
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

/** The values of the rule's `equal` labels in `labels`, as one string (a missing label is ""). */
export function equalKey(rule: Pick<InhibitionRule, 'equal'>, labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(rule.equal.map((name) => labels[name] ?? ''));
}

/** An alert or muted alert as the index sees it: a candidate source, and since when it fires. */
export interface SourceAlert extends InhibitionCandidate {
  readonly firstSeenAt: number;
}

/**
 * The inhibition index (`inhibition_sources`): for each rule in force, the firing alerts and muted
 * alerts its source matchers match, by the values of its `equal` labels. Whether a new alert is
 * inhibited is then one indexed lookup per rule that targets it, however many alerts fire, where
 * a pass over every firing alert per new alert made ingest slow down as alerts piled up.
 *
 * It is kept current by everything that changes a source: an alert that fires, repeats with new
 * labels or ends (`track`), a rule created or removed (`InhibitionRuleService`), and `rebuild` at
 * start, which also fills it for rules and alerts from before it existed.
 */
export class InhibitionSources {
  /** Indexes `source` under the rules in force that it matches, or drops it when it has ended. */
  async track(tx: StoreTx, source: SourceAlert, firing: boolean): Promise<void> {
    // With no rule in force the index is empty (removing a rule drops its entries).
    if (!(await tx.inhibitionRulesInForce())) return;
    const rules = firing ? await tx.listInhibitionRules({ includeRemoved: false }) : [];
    await tx.replaceInhibitionSources(source.id, entriesFor(rules, source));
  }

  /** Indexes the sources that `rule` (just created) matches. */
  async ruleCreated(tx: StoreTx, rule: InhibitionRule): Promise<void> {
    const rules = await tx.listInhibitionRules({ includeRemoved: false });
    for (const source of await firingSources(tx)) {
      if (matchesAll(rule.sourceMatchers, alertLabelSet(source))) await tx.replaceInhibitionSources(source.id, entriesFor(rules, source));
    }
  }

  /** Drops the entries of a removed rule. */
  async ruleRemoved(tx: StoreTx, rule: InhibitionRule): Promise<void> {
    await tx.deleteInhibitionSources({ ruleId: rule.id });
  }

  /** Builds the index anew from the rules in force and every firing and muted alert. */
  async rebuild(tx: StoreTx): Promise<void> {
    await tx.deleteInhibitionSources('all');
    const rules = await tx.listInhibitionRules({ includeRemoved: false });
    if (rules.length === 0) return;
    for (const source of await firingSources(tx)) {
      const entries = entriesFor(rules, source);
      if (entries.length > 0) await tx.replaceInhibitionSources(source.id, entries);
    }
  }

  /**
   * The first of `rules` (in their order) under which a source inhibits `target`, with the oldest
   * such source; the rules' target matchers are checked here too.
   */
  async find(
    tx: StoreTx,
    rules: readonly InhibitionRule[],
    target: Omit<InhibitionCandidate, 'id'>,
  ): Promise<{ rule: InhibitionRule; source: InhibitionSource } | undefined> {
    const targetLabels = alertLabelSet(target);
    for (const rule of rules) {
      if (rule.removedAt !== null || !matchesAll(rule.targetMatchers, targetLabels)) continue;
      const source = await tx.findInhibitionSource(rule.id, equalKey(rule, targetLabels), target);
      if (source !== undefined) return { rule, source };
    }
    return undefined;
  }
}

function entriesFor(rules: readonly InhibitionRule[], source: SourceAlert): InhibitionSource[] {
  const labels = alertLabelSet(source);
  return rules
    .filter((rule) => rule.removedAt === null && matchesAll(rule.sourceMatchers, labels))
    .map((rule) => ({ ruleId: rule.id, sourceId: source.id, integrationId: source.integrationId, dedupKey: source.dedupKey, equalKey: equalKey(rule, labels), since: source.firstSeenAt }));
}

/** Every alert that can inhibit: firing in an incident, or firing while muted (as in Alertmanager). */
async function firingSources(tx: StoreTx): Promise<SourceAlert[]> {
  return [...(await tx.listFiringAlerts()), ...(await tx.listMutedAlerts({ status: 'muted', limit: Number.MAX_SAFE_INTEGER }))];
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
