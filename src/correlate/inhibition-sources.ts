import type { AlertSeverity, AlertSource } from '../core/alert.js';
import type { InhibitionRule, InhibitionSource } from '../core/inhibition-rule.js';
import type { StoreTx } from '../core/store.js';
import { alertLabelSet, matchesAll } from './matchers.js';

/** An alert or muted alert as inhibition sees it: where it came from, its identity and its labels. */
export interface SourceAlert {
  readonly id: string;
  readonly integrationId: string;
  readonly dedupKey: string;
  readonly service: string;
  readonly source: AlertSource;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
  /** Since when it fires (ms). */
  readonly firstSeenAt: number;
}

/** A new alert about to be judged: who sends it, and its labels. */
export type InhibitionTarget = Omit<SourceAlert, 'id' | 'firstSeenAt'>;

/** What an alert is to the index: firing in an incident, firing while muted, or ended. */
export type SourceState = 'alert' | 'muted' | 'ended';

/** The values of the rule's `equal` labels in `labels`, as one string (a missing label is ""). */
export function equalKey(rule: Pick<InhibitionRule, 'equal'>, labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(rule.equal.map((name) => labels[name] ?? ''));
}

/**
 * The inhibition index (`inhibition_sources`): for each rule in force, the firing alerts and muted
 * alerts its source matchers match, by the values of its `equal` labels. Whether a new alert is
 * inhibited is then one indexed lookup per rule that targets it, however many alerts fire, where
 * a pass over every firing alert per new alert made ingest slow down as alerts piled up.
 *
 * It is kept current by everything that changes a source: an alert that fires, repeats with new
 * labels or ends (`track`), a rule created or removed (`InhibitionRuleService`), and `rebuild`,
 * which fills it for the rules and alerts of a database from before it existed (the first time
 * a process opens such a database) and at the start of `vigil serve` and `vigil watch` (unless
 * that process has just built it at open). The
 * lookup also checks that the source still fires, so an entry a writer of an older version left
 * behind mutes nothing.
 */
export class InhibitionSources {
  /** Indexes `source` under the rules in force that it matches, or drops it when it has ended. */
  async track(tx: StoreTx, source: SourceAlert, state: SourceState): Promise<void> {
    // With no rule in force the index is empty (removing a rule drops its entries).
    if (!(await tx.inhibitionRulesInForce())) return;
    const rules = state === 'ended' ? [] : await tx.listInhibitionRules({ includeRemoved: false });
    await tx.replaceInhibitionSources(source.id, state === 'ended' ? [] : entriesFor(rules, source, state));
  }

  /** Indexes the sources that `rule` (just created) matches. */
  async ruleCreated(tx: StoreTx, rule: InhibitionRule): Promise<void> {
    await indexFiring(tx, (source) => matchesAll(rule.sourceMatchers, alertLabelSet(source)));
  }

  /** Drops the entries of a removed rule. */
  async ruleRemoved(tx: StoreTx, rule: InhibitionRule): Promise<void> {
    await tx.deleteInhibitionSources({ ruleId: rule.id });
  }

  /** Builds the index anew from the rules in force and every firing and muted alert. */
  async rebuild(tx: StoreTx, at: number): Promise<void> {
    await tx.deleteInhibitionSources('all');
    await indexFiring(tx, () => true);
    await tx.markInhibitionIndexBuilt(at);
  }

  /**
   * The first of `rules` (in their order) under which a source inhibits `target`, with that
   * source (the oldest alert in an incident, else the oldest muted alert); the rules' target
   * matchers are checked here too.
   */
  async find(tx: StoreTx, rules: readonly InhibitionRule[], target: InhibitionTarget): Promise<{ rule: InhibitionRule; source: InhibitionSource } | undefined> {
    const targetLabels = alertLabelSet(target);
    for (const rule of rules) {
      if (rule.removedAt !== null || !matchesAll(rule.targetMatchers, targetLabels)) continue;
      const source = await tx.findInhibitionSource(rule.id, equalKey(rule, targetLabels), target);
      if (source !== undefined) return { rule, source };
    }
    return undefined;
  }
}

/** (Re)writes the entries of the firing and muted alerts `which` picks, under every rule in force. */
async function indexFiring(tx: StoreTx, which: (source: SourceAlert) => boolean): Promise<void> {
  const rules = await tx.listInhibitionRules({ includeRemoved: false });
  if (rules.length === 0) return;
  for (const { source, kind } of await firingSources(tx)) {
    if (!which(source)) continue;
    const entries = entriesFor(rules, source, kind);
    if (entries.length > 0) await tx.replaceInhibitionSources(source.id, entries);
  }
}

function entriesFor(rules: readonly InhibitionRule[], source: SourceAlert, kind: 'alert' | 'muted'): InhibitionSource[] {
  const labels = alertLabelSet(source);
  return rules
    .filter((rule) => rule.removedAt === null && matchesAll(rule.sourceMatchers, labels))
    .map((rule) => ({
      ruleId: rule.id,
      sourceId: source.id,
      kind,
      integrationId: source.integrationId,
      dedupKey: source.dedupKey,
      equalKey: equalKey(rule, labels),
      since: source.firstSeenAt,
    }));
}

/** Every alert that can inhibit: firing in an incident, or firing while muted (as in Alertmanager). */
async function firingSources(tx: StoreTx): Promise<{ source: SourceAlert; kind: 'alert' | 'muted' }[]> {
  const alerts = (await tx.listFiringAlerts()).map((source) => ({ source, kind: 'alert' as const }));
  const muted = (await tx.listMutedAlerts({ status: 'muted', limit: Number.MAX_SAFE_INTEGER })).map((source) => ({ source, kind: 'muted' as const }));
  return [...alerts, ...muted];
}
