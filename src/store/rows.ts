import type { Actor } from '../core/actor.js';
import type { ApiToken, Integration, IntegrationKind, Role } from '../core/access.js';
import type { Alert, AlertLink, AlertSeverity, AlertSource, AlertStatus, JsonObject, JsonValue } from '../core/alert.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident, IncidentStatus, Severity } from '../core/incident.js';
import type { TimelineEntry, TimelineKind } from '../core/timeline-entry.js';
import type { Feedback, Suppression, Verdict } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { IncidentRole } from '../core/incident-role.js';
import type { CommsReminder, IncidentUpdate, UpdateAudience } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { AffectedComponent, ComponentStatus, StatusComponent, StatusPost, StatusPostState } from '../core/status-page.js';
import type { Schedule } from '../respond/schedules/schedule.js';
import type {
  AlertRow,
  FeedbackRow,
  ScheduleRow,
  CommsReminderRow,
  IncidentUpdateRow,
  RoleAssignmentRow,
  StatusComponentRow,
  StatusPostRow,
  SuppressionRow,
  ApiTokenRow,
  AuditRecordRow,
  IncidentRow,
  IntegrationRow,
  TimelineEntryRow,
} from './schema.js';

// Rows hold only what Vigil wrote, so the string columns are cast back to their unions here
// rather than validated again on every read.

const nullableNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function alertToRow(a: Alert): AlertRow {
  return {
    id: a.id,
    source: a.source,
    integration_id: a.integrationId,
    service: a.service,
    dedup_key: a.dedupKey,
    fingerprint: a.fingerprint,
    group_key: a.groupKey,
    status: a.status,
    severity: a.severity,
    summary: a.summary,
    labels: JSON.stringify(a.labels),
    annotations: JSON.stringify(a.annotations),
    links: JSON.stringify(a.links),
    raw: JSON.stringify(a.raw),
    incident_id: a.incidentId,
    first_seen_at: a.firstSeenAt,
    last_seen_at: a.lastSeenAt,
    resolved_at: a.resolvedAt,
    count: a.count,
  };
}

export function alertFromRow(r: AlertRow): Alert {
  return {
    id: r.id,
    source: r.source as AlertSource,
    integrationId: r.integration_id,
    service: r.service,
    dedupKey: r.dedup_key,
    fingerprint: r.fingerprint,
    groupKey: r.group_key,
    status: r.status as AlertStatus,
    severity: r.severity as AlertSeverity,
    summary: r.summary,
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    links: JSON.parse(r.links) as AlertLink[],
    raw: JSON.parse(r.raw) as JsonValue,
    incidentId: r.incident_id,
    firstSeenAt: Number(r.first_seen_at),
    lastSeenAt: Number(r.last_seen_at),
    resolvedAt: nullableNumber(r.resolved_at),
    count: Number(r.count),
  };
}

export function incidentToRow(i: Incident): IncidentRow {
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    service: i.service,
    group_key: i.groupKey,
    status: i.status,
    severity: i.severity,
    assignee: i.assignee,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    acknowledged_at: i.acknowledgedAt,
    resolved_at: i.resolvedAt,
    reopened_at: i.reopenedAt,
    last_alert_at: i.lastAlertAt,
    alert_count: i.alertCount,
  };
}

export function incidentFromRow(r: IncidentRow): Incident {
  return {
    id: r.id,
    number: Number(r.number),
    title: r.title,
    service: r.service,
    groupKey: r.group_key,
    status: r.status as IncidentStatus,
    severity: r.severity as Severity,
    assignee: r.assignee,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    acknowledgedAt: nullableNumber(r.acknowledged_at),
    resolvedAt: nullableNumber(r.resolved_at),
    reopenedAt: nullableNumber(r.reopened_at),
    lastAlertAt: Number(r.last_alert_at),
    alertCount: Number(r.alert_count),
  };
}

export function timelineEntryToRow(e: TimelineEntry): TimelineEntryRow {
  return {
    id: e.id,
    incident_id: e.incidentId,
    at: e.at,
    actor: JSON.stringify(e.actor),
    kind: e.kind,
    message: e.message,
    body: JSON.stringify(e.body),
  };
}

export function timelineEntryFromRow(r: TimelineEntryRow): TimelineEntry {
  return {
    id: r.id,
    incidentId: r.incident_id,
    at: Number(r.at),
    actor: JSON.parse(r.actor) as Actor,
    kind: r.kind as TimelineKind,
    message: r.message,
    body: JSON.parse(r.body) as JsonObject,
  };
}

export function auditRecordToRow(a: AuditRecord): AuditRecordRow {
  return {
    seq: a.seq,
    at: a.at,
    actor: JSON.stringify(a.actor),
    action: a.action,
    subject: a.subject,
    data: JSON.stringify(a.data),
    prev_hash: a.prevHash,
    hash: a.hash,
  };
}

export function auditRecordFromRow(r: AuditRecordRow): AuditRecord {
  return {
    seq: Number(r.seq),
    at: Number(r.at),
    actor: JSON.parse(r.actor) as Actor,
    action: r.action,
    subject: r.subject,
    data: JSON.parse(r.data) as JsonObject,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function apiTokenToRow(t: ApiToken): ApiTokenRow {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    secret_hash: t.secretHash,
    created_at: t.createdAt,
    revoked_at: t.revokedAt,
    person: t.person ?? null,
  };
}

export function apiTokenFromRow(r: ApiTokenRow): ApiToken {
  return {
    id: r.id,
    name: r.name,
    role: r.role as Role,
    secretHash: r.secret_hash,
    createdAt: Number(r.created_at),
    revokedAt: nullableNumber(r.revoked_at),
    ...(r.person === null || r.person === undefined ? {} : { person: r.person }),
  };
}

export function integrationToRow(i: Integration): IntegrationRow {
  return {
    id: i.id,
    kind: i.kind,
    service: i.service,
    name: i.name,
    key_hash: i.keyHash,
    created_at: i.createdAt,
    revoked_at: i.revokedAt,
  };
}

export function integrationFromRow(r: IntegrationRow): Integration {
  return {
    id: r.id,
    kind: r.kind as IntegrationKind,
    service: r.service,
    name: r.name,
    keyHash: r.key_hash,
    createdAt: Number(r.created_at),
    revokedAt: nullableNumber(r.revoked_at),
  };
}

export function feedbackToRow(f: Feedback): FeedbackRow {
  return {
    id: f.id,
    alert_id: f.alertId,
    detector: f.detector,
    rule: f.rule,
    entity: f.entity,
    verdict: f.verdict,
    note: f.note,
    actor: JSON.stringify(f.actor),
    at: f.at,
  };
}

export function feedbackFromRow(r: FeedbackRow): Feedback {
  return {
    id: r.id,
    alertId: r.alert_id,
    detector: r.detector,
    rule: r.rule,
    entity: r.entity,
    verdict: r.verdict as Verdict,
    note: r.note,
    actor: JSON.parse(r.actor) as Actor,
    at: Number(r.at),
  };
}

export function suppressionToRow(s: Suppression): SuppressionRow {
  return {
    id: s.id,
    detector: s.detector,
    entity: s.entity,
    reason: s.reason,
    created_at: s.createdAt,
    revoked_at: s.revokedAt,
    revoked_by: s.revokedBy === null ? null : JSON.stringify(s.revokedBy),
  };
}

export function suppressionFromRow(r: SuppressionRow): Suppression {
  return {
    id: r.id,
    detector: r.detector,
    entity: r.entity,
    reason: r.reason,
    createdAt: Number(r.created_at),
    revokedAt: nullableNumber(r.revoked_at),
    revokedBy: r.revoked_by === null ? null : (JSON.parse(r.revoked_by) as Actor),
  };
}

export function scheduleToRow(s: StoredSchedule): ScheduleRow {
  return { id: s.id, name: s.schedule.name, definition: JSON.stringify(s.schedule), created_at: s.createdAt, updated_at: s.updatedAt };
}

export function scheduleFromRow(r: ScheduleRow): StoredSchedule {
  return { id: r.id, schedule: JSON.parse(r.definition) as Schedule, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

// Incident roles, updates and the status page.

export function roleAssignmentToRow(a: RoleAssignment): RoleAssignmentRow {
  return {
    id: a.id,
    incident_id: a.incidentId,
    role: a.role,
    person: a.person,
    assigned_at: a.assignedAt,
    assigned_by: JSON.stringify(a.assignedBy),
    released_at: a.releasedAt,
    released_by: a.releasedBy === null ? null : JSON.stringify(a.releasedBy),
  };
}

export function roleAssignmentFromRow(r: RoleAssignmentRow): RoleAssignment {
  return {
    id: r.id,
    incidentId: r.incident_id,
    role: r.role as IncidentRole,
    person: r.person,
    assignedAt: Number(r.assigned_at),
    assignedBy: JSON.parse(r.assigned_by) as Actor,
    releasedAt: nullableNumber(r.released_at),
    releasedBy: r.released_by === null ? null : (JSON.parse(r.released_by) as Actor),
  };
}

export function incidentUpdateToRow(u: IncidentUpdate): IncidentUpdateRow {
  return { id: u.id, incident_id: u.incidentId, audience: u.audience, body: u.body, actor: JSON.stringify(u.actor), at: u.at };
}

export function incidentUpdateFromRow(r: IncidentUpdateRow): IncidentUpdate {
  return { id: r.id, incidentId: r.incident_id, audience: r.audience as UpdateAudience, body: r.body, actor: JSON.parse(r.actor) as Actor, at: Number(r.at) };
}

export function commsReminderToRow(c: CommsReminder): CommsReminderRow {
  return { incident_id: c.incidentId, since_at: c.sinceAt, period: c.period, at: c.at };
}

export function commsReminderFromRow(r: CommsReminderRow): CommsReminder {
  return { incidentId: r.incident_id, sinceAt: Number(r.since_at), period: Number(r.period), at: Number(r.at) };
}

export function statusComponentToRow(c: StatusComponent): StatusComponentRow {
  return {
    id: c.id,
    service: c.service,
    name: c.name,
    description: c.description,
    status: c.status,
    position: c.position,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function statusComponentFromRow(r: StatusComponentRow): StatusComponent {
  return {
    id: r.id,
    service: r.service,
    name: r.name,
    description: r.description,
    status: r.status as ComponentStatus,
    position: Number(r.position),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function statusPostToRow(p: StatusPost): StatusPostRow {
  return {
    id: p.id,
    incident_id: p.incidentId,
    service: p.service,
    title: p.title,
    state: p.state,
    message: p.message,
    components: JSON.stringify(p.components),
    published_by: p.publishedBy,
    actor: JSON.stringify(p.actor),
    at: p.at,
  };
}

export function statusPostFromRow(r: StatusPostRow): StatusPost {
  return {
    id: r.id,
    incidentId: r.incident_id,
    service: r.service,
    title: r.title,
    state: r.state as StatusPostState,
    message: r.message,
    components: JSON.parse(r.components) as AffectedComponent[],
    publishedBy: r.published_by,
    actor: JSON.parse(r.actor) as Actor,
    at: Number(r.at),
  };
}
