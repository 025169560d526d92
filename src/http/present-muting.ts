import type { InhibitionRule } from '../core/inhibition-rule.js';
import type { MaintenanceWindow, Occurrence } from '../core/maintenance-window.js';
import { reasonId, suppressedBy, type MutedAlert } from '../core/muted-alert.js';
import { silenceState, type Silence } from '../core/silence.js';
import { formatDuration } from '../correlate/duration.js';
import { printMatcher } from '../correlate/matchers.js';
import { nextOccurrences, occurrenceAt } from '../correlate/recurrence.js';
import { iso } from './present.js';

/** How the API shows silences, maintenance windows, inhibition rules and muted alerts. */

const actorName = (actor: { kind: string; id: string; name: string }) => ({ kind: actor.kind, id: actor.id, name: actor.name });

export function presentSilence(silence: Silence, now: number) {
  return {
    id: silence.id,
    state: silenceState(silence, now),
    matchers: silence.matchers.map(printMatcher),
    startsAt: iso(silence.startsAt),
    endsAt: iso(silence.endsAt),
    comment: silence.comment,
    createdBy: actorName(silence.createdBy),
    createdAt: iso(silence.createdAt),
    updatedAt: iso(silence.updatedAt),
    expiredBy: silence.expiredBy === null ? null : actorName(silence.expiredBy),
    reminderSentAt: iso(silence.reminderSentAt),
  };
}

export function presentOccurrence(occurrence: Occurrence) {
  return { start: iso(occurrence.start), end: iso(occurrence.end) };
}

export function presentMaintenanceWindow(window: MaintenanceWindow, options: { now: number; upcoming?: number }) {
  const open = window.removedAt === null ? occurrenceAt(window, options.now) : undefined;
  return {
    id: window.id,
    name: window.name,
    service: window.service,
    matchers: window.matchers.map(printMatcher),
    startsAt: iso(window.startsAt),
    duration: formatDuration(window.durationMs),
    durationMs: window.durationMs,
    rrule: window.recurrence?.rrule ?? null,
    timeZone: window.recurrence?.timeZone ?? null,
    comment: window.comment,
    createdBy: actorName(window.createdBy),
    createdAt: iso(window.createdAt),
    removedAt: iso(window.removedAt),
    removedBy: window.removedBy === null ? null : actorName(window.removedBy),
    openNow: open !== undefined,
    upcoming: window.removedAt === null ? nextOccurrences(window, { from: options.now, count: options.upcoming ?? 3 }).map(presentOccurrence) : [],
  };
}

export function presentInhibitionRule(rule: InhibitionRule) {
  return {
    id: rule.id,
    name: rule.name,
    sourceMatchers: rule.sourceMatchers.map(printMatcher),
    targetMatchers: rule.targetMatchers.map(printMatcher),
    equal: rule.equal,
    comment: rule.comment,
    createdBy: actorName(rule.createdBy),
    createdAt: iso(rule.createdAt),
    removedAt: iso(rule.removedAt),
    removedBy: rule.removedBy === null ? null : actorName(rule.removedBy),
  };
}

export function presentMutedAlert(muted: MutedAlert) {
  return {
    id: muted.id,
    status: muted.status,
    suppressedBy: suppressedBy(muted.reason),
    reason: { ...muted.reason, id: reasonId(muted.reason) },
    source: muted.source,
    integrationId: muted.integrationId,
    service: muted.service,
    dedupKey: muted.dedupKey,
    fingerprint: muted.fingerprint,
    groupKey: muted.groupKey,
    severity: muted.severity,
    summary: muted.summary,
    labels: muted.labels,
    annotations: muted.annotations,
    links: muted.links,
    raw: muted.raw,
    count: muted.count,
    firstSeenAt: iso(muted.firstSeenAt),
    lastSeenAt: iso(muted.lastSeenAt),
    endedAt: iso(muted.endedAt),
  };
}
