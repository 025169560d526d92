import type { Integration } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import type { AlertEvent } from '../core/alert.js';
import type { Ids } from '../core/ids.js';
import { suppressedBy, type MuteReason, type MutedAlert } from '../core/muted-alert.js';
import type { StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import type { InhibitionSources, SourceAlert } from './inhibition-sources.js';
import { openWindows } from './maintenance-windows.js';
import { alertLabelSet, matchesAll, sameAlertLabelSet } from './matchers.js';

/** One trigger or resolve event for an alert that is not in an incident. */
export interface MuteStep {
  readonly tx: StoreTx;
  readonly integration: Integration;
  readonly event: AlertEvent;
  readonly actor: Actor;
  readonly now: number;
}

/**
 * Decides, before an alert opens or joins an incident, whether a silence, a maintenance window or
 * an inhibition rule mutes it, and keeps the muted alert (`muted_alerts`) with what muted it.
 * Checked in that order; the first that applies is the reason given.
 *
 * A muted alert's repeats update it (count, last seen) and are judged again each time: when what
 * muted it has ended, the repeat releases it and the correlator opens or joins an incident as
 * usual. Alerts already in an incident are never judged here: a silence added later does not
 * detach them.
 */
export class AlertMuter {
  readonly #options: { ids: Ids; recorder: Recorder; sources: InhibitionSources };

  constructor(options: { ids: Ids; recorder: Recorder; sources: InhibitionSources }) {
    this.#options = options;
  }

  /**
   * Keeps the inhibition index current: the correlator and incident actions call it when an
   * alert in an incident starts firing, repeats (its labels may have changed) or ends.
   */
  async alertChanged(tx: StoreTx, alert: SourceAlert, firing: boolean): Promise<void> {
    await this.#options.sources.track(tx, alert, firing ? 'alert' : 'ended');
  }

  /** The muted alert when the event is muted; undefined when it should go on to an incident. */
  async trigger(step: MuteStep): Promise<MutedAlert | undefined> {
    const { tx, integration, event, actor, now } = step;
    const existing = await tx.findMutedAlert(integration.id, event.dedupKey);
    const reason = await this.reasonFor(step);
    if (reason === undefined) {
      if (existing !== undefined) await this.#release(step, existing);
      return undefined;
    }
    const refreshed = {
      severity: event.severity,
      summary: event.summary,
      labels: event.labels,
      annotations: event.annotations,
      links: event.links,
      raw: event.raw,
      reason,
      lastSeenAt: now,
    };
    if (existing !== undefined) {
      const updated: MutedAlert = { ...existing, ...refreshed, count: existing.count + 1 };
      await tx.updateMutedAlert(updated);
      if (!sameAlertLabelSet(existing, updated)) await this.#options.sources.track(tx, updated, 'muted');
      await this.#options.recorder.record(tx, {
        actor,
        action: 'muted_alert.repeated',
        subject: `muted-alert:${updated.id}`,
        data: { mutedAlertId: updated.id, dedupKey: updated.dedupKey, count: updated.count, suppressedBy: suppressedBy(reason) },
      });
      return updated;
    }
    const muted: MutedAlert = {
      id: this.#options.ids.id(),
      source: event.source,
      integrationId: integration.id,
      service: integration.service,
      dedupKey: event.dedupKey,
      fingerprint: event.fingerprint,
      groupKey: event.groupKey,
      status: 'muted',
      ...refreshed,
      firstSeenAt: now,
      endedAt: null,
      count: 1,
    };
    await tx.insertMutedAlert(muted);
    await this.#options.sources.track(tx, muted, 'muted');
    await this.#options.recorder.record(tx, {
      actor,
      action: 'alert.muted',
      subject: `muted-alert:${muted.id}`,
      data: {
        mutedAlertId: muted.id,
        dedupKey: muted.dedupKey,
        source: muted.source,
        service: muted.service,
        severity: muted.severity,
        summary: muted.summary,
        suppressedBy: suppressedBy(reason),
      },
    });
    return muted;
  }

  /** Resolves the muted alert with the event's dedup key; undefined when there is none. */
  async resolve(step: MuteStep): Promise<MutedAlert | undefined> {
    const { tx, integration, event, actor, now } = step;
    const existing = await tx.findMutedAlert(integration.id, event.dedupKey);
    if (existing === undefined) return undefined;
    const resolved: MutedAlert = { ...existing, status: 'resolved', endedAt: now, lastSeenAt: now, raw: event.raw };
    await tx.updateMutedAlert(resolved);
    await this.#options.sources.track(tx, resolved, 'ended');
    await this.#options.recorder.record(tx, {
      actor,
      action: 'muted_alert.resolved',
      subject: `muted-alert:${resolved.id}`,
      data: { mutedAlertId: resolved.id, dedupKey: resolved.dedupKey, suppressedBy: suppressedBy(resolved.reason) },
    });
    return resolved;
  }

  /** What mutes this event now, if anything. */
  async reasonFor(step: Pick<MuteStep, 'tx' | 'integration' | 'event' | 'now'>): Promise<MuteReason | undefined> {
    const { tx, integration, event, now } = step;
    if (!(await tx.mutingInForce({ at: now, service: integration.service }))) return undefined;
    const labels = alertLabelSet({ service: integration.service, source: event.source, severity: event.severity, labels: event.labels });
    for (const silence of await tx.listSilences({ state: 'active', at: now })) {
      if (matchesAll(silence.matchers, labels)) return { kind: 'silence', silenceId: silence.id };
    }
    const windows = await tx.listMaintenanceWindows({ includeRemoved: false, service: integration.service });
    const [open] = openWindows(windows, { service: integration.service, at: now, labels });
    if (open !== undefined) return { kind: 'maintenance', windowId: open.window.id };

    const target = { integrationId: integration.id, dedupKey: event.dedupKey, service: integration.service, source: event.source, severity: event.severity, labels: event.labels };
    const rules = (await tx.listInhibitionRules({ includeRemoved: false })).filter((r) => matchesAll(r.targetMatchers, labels));
    if (rules.length === 0) return undefined;
    // Sources: alerts firing in incidents and alerts firing while muted (a silenced alert still
    // inhibits, as in Alertmanager), looked up in the inhibition index.
    const found = await this.#options.sources.find(tx, rules, target);
    return found === undefined ? undefined : { kind: 'inhibition', ruleId: found.rule.id, inhibitorAlertId: found.source.sourceId };
  }

  async #release(step: MuteStep, existing: MutedAlert): Promise<void> {
    const { tx, actor, now } = step;
    // The releasing event goes on to an incident, so it is not counted here.
    await tx.updateMutedAlert({ ...existing, status: 'released', endedAt: now, lastSeenAt: now });
    await this.#options.sources.track(tx, existing, 'ended');
    await this.#options.recorder.record(tx, {
      actor,
      action: 'muted_alert.released',
      subject: `muted-alert:${existing.id}`,
      data: { mutedAlertId: existing.id, dedupKey: existing.dedupKey, wasSuppressedBy: suppressedBy(existing.reason), reason: 'what muted it has ended' },
    });
  }
}
