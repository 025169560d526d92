import type { Alert } from '../core/alert.js';
import type { AuditVerification } from '../record/audit-chain.js';
import { shortId, type Incident } from '../core/incident.js';
import type { Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { Shift } from '../respond/schedules/schedule.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { IncidentUpdate } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { StatusComponent, StatusPost } from '../core/status-page.js';

/** How the API shows domain objects: ISO 8601 times with milliseconds, UTC. */

/** A time in ms as ISO 8601 with milliseconds, UTC. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function presentIncident(incident: Incident) {
  return {
    id: incident.id,
    shortId: shortId(incident),
    number: incident.number,
    title: incident.title,
    service: incident.service,
    groupKey: incident.groupKey,
    status: incident.status,
    severity: incident.severity,
    assignee: incident.assignee,
    alertCount: incident.alertCount,
    createdAt: iso(incident.createdAt),
    updatedAt: iso(incident.updatedAt),
    acknowledgedAt: iso(incident.acknowledgedAt),
    resolvedAt: iso(incident.resolvedAt),
    reopenedAt: iso(incident.reopenedAt),
    lastAlertAt: iso(incident.lastAlertAt),
  };
}

export function presentAlert(alert: Alert) {
  return {
    id: alert.id,
    source: alert.source,
    integrationId: alert.integrationId,
    service: alert.service,
    dedupKey: alert.dedupKey,
    fingerprint: alert.fingerprint,
    groupKey: alert.groupKey,
    status: alert.status,
    severity: alert.severity,
    summary: alert.summary,
    labels: alert.labels,
    annotations: alert.annotations,
    links: alert.links,
    raw: alert.raw,
    incidentId: alert.incidentId,
    count: alert.count,
    firstSeenAt: iso(alert.firstSeenAt),
    lastSeenAt: iso(alert.lastSeenAt),
    resolvedAt: iso(alert.resolvedAt),
  };
}

export function presentTimelineEntry(entry: TimelineEntry) {
  return {
    id: entry.id,
    at: iso(entry.at),
    actor: entry.actor,
    kind: entry.kind,
    message: entry.message,
    body: entry.body,
  };
}

export function presentVerification(result: AuditVerification) {
  return result;
}

export function presentSuppression(s: Suppression) {
  return { id: s.id, detector: s.detector, entity: s.entity, reason: s.reason, createdAt: iso(s.createdAt), revokedAt: iso(s.revokedAt), revokedBy: s.revokedBy };
}

export function presentShift(s: Shift) {
  return { ...s, start: iso(s.start), end: iso(s.end) };
}

export function presentSchedule(s: StoredSchedule) {
  return {
    id: s.id,
    ...s.schedule,
    overrides: s.schedule.overrides.map((o) => ({ ...o, start: iso(o.start), end: iso(o.end) })),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

// Incident roles, updates and the status page.

export function presentRoleAssignment(a: RoleAssignment) {
  return {
    id: a.id,
    role: a.role,
    person: a.person,
    assignedAt: iso(a.assignedAt),
    assignedBy: a.assignedBy,
    releasedAt: iso(a.releasedAt),
    releasedBy: a.releasedBy,
  };
}

export function presentIncidentUpdate(u: IncidentUpdate) {
  return { id: u.id, incidentId: u.incidentId, audience: u.audience, body: u.body, actor: u.actor, at: iso(u.at) };
}

export function presentStatusComponent(c: StatusComponent) {
  return { id: c.id, service: c.service, name: c.name, description: c.description, status: c.status, position: c.position, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) };
}

export function presentStatusPost(p: StatusPost) {
  return { id: p.id, incidentId: p.incidentId, service: p.service, title: p.title, state: p.state, message: p.message, components: p.components, publishedBy: p.publishedBy, actor: p.actor, at: iso(p.at) };
}
