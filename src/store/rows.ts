import type { Actor } from '../core/actor.js';
import type { ApiToken, Integration, IntegrationKind, Role } from '../core/access.js';
import type { Alert, AlertLink, AlertSeverity, AlertSource, AlertStatus, JsonObject, JsonValue } from '../core/alert.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident, IncidentStatus, Severity } from '../core/incident.js';
import type { TimelineEntry, TimelineKind } from '../core/timeline-entry.js';
import type { Feedback, Suppression, Verdict } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { Escalation, EscalationPolicy, EscalationStatus, StoredEscalationPolicy } from '../core/escalation.js';
import type { IncidentFact, IncidentFactBody } from '../core/incident-facts.js';
import type { ImpactScore } from '../triage/impact-score.js';
import type { IncidentRole } from '../core/incident-role.js';
import type { CommsReminder, IncidentUpdate, UpdateAudience } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { AffectedComponent, ComponentStatus, StatusComponent, StatusPost, StatusPostState } from '../core/status-page.js';
import type { Schedule } from '../respond/schedules/schedule.js';
import type { InhibitionRule } from '../core/inhibition-rule.js';
import type { MaintenanceWindow } from '../core/maintenance-window.js';
import type { Matcher } from '../core/matcher.js';
import type { MuteReason, MutedAlert, MutedAlertStatus } from '../core/muted-alert.js';
import type { Silence } from '../core/silence.js';
import type { ContactKind, ContactRule, StoredContactMethod, StoredPerson, StoredTeamChannel } from '../core/contact.js';
import type { OutboxMessage, OutboxRecipient, OutboxState } from '../core/outbox-message.js';
import type {
  AlertRow,
  FeedbackRow,
  ScheduleRow,
  PersonRow,
  TeamChannelRow,
  OutboxRow,
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
  ImpactScoreRow,
  IncidentFactRow,
  EscalationPolicyRow,
  EscalationRow,
  InhibitionRuleRow,
  MaintenanceWindowRow,
  MutedAlertRow,
  SilenceRow,
  PlaybookRow,
  PlaybookRunRow,
  ApproverRow,
  ApprovalPolicyRow,
  ApprovalRequestRow,
  ApprovalSignatureRow,
} from './schema.js';
import type { Playbook, PlaybookSource } from '../respond/playbooks/playbook.js';
import type { PlaybookRun, StepState, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalDecision, ApprovalPolicy, ApprovalRequest, ApprovalSignature, ApprovalStatus, Approver } from '../respond/approvals/approval.js';

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

// Impact scores, incident facts and escalation (migration 8).

/** JSON with bigints written as decimal strings and read back by the reviver below. */
function bigintJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

function parseBigintJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $bigint?: unknown }).$bigint === 'string'
      ? BigInt((v as { $bigint: string }).$bigint)
      : v,
  );
}

export function impactScoreToRow(incidentId: string, score: ImpactScore, at: number): ImpactScoreRow {
  return { incident_id: incidentId, score: JSON.stringify(score), updated_at: at };
}

export function impactScoreFromRow(r: ImpactScoreRow): { score: ImpactScore; updatedAt: number } {
  return { score: JSON.parse(r.score) as ImpactScore, updatedAt: Number(r.updated_at) };
}

export function incidentFactToRow(f: IncidentFact): IncidentFactRow {
  return {
    id: f.id,
    incident_id: f.incidentId,
    kind: f.body.kind,
    key: f.key,
    body: bigintJson(f.body),
    actor: f.actor,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

export function incidentFactFromRow(r: IncidentFactRow): IncidentFact {
  return {
    id: r.id,
    incidentId: r.incident_id,
    key: r.key,
    body: parseBigintJson(r.body) as IncidentFactBody,
    actor: r.actor,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function escalationPolicyToRow(p: StoredEscalationPolicy): EscalationPolicyRow {
  return { id: p.id, name: p.policy.name, definition: JSON.stringify(p.policy), created_at: p.createdAt, updated_at: p.updatedAt };
}

export function escalationPolicyFromRow(r: EscalationPolicyRow): StoredEscalationPolicy {
  return { id: r.id, policy: JSON.parse(r.definition) as EscalationPolicy, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

export function escalationToRow(e: Escalation): EscalationRow {
  return {
    incident_id: e.incidentId,
    policy_id: e.policyId,
    policy_name: e.policyName,
    level: e.level,
    round: e.round,
    status: e.status,
    next_at: e.nextAt,
    started_at: e.startedAt,
    updated_at: e.updatedAt,
    reason: e.reason,
  };
}

export function escalationFromRow(r: EscalationRow): Escalation {
  return {
    incidentId: r.incident_id,
    policyId: r.policy_id,
    policyName: r.policy_name,
    level: Number(r.level),
    round: Number(r.round),
    status: r.status as EscalationStatus,
    nextAt: r.next_at === null ? null : Number(r.next_at),
    startedAt: Number(r.started_at),
    updatedAt: Number(r.updated_at),
    reason: r.reason,
  };
}

// Silences, maintenance windows and inhibition.

const actorOrNull = (text: string | null): Actor | null => (text === null ? null : (JSON.parse(text) as Actor));

export function silenceToRow(s: Silence): SilenceRow {
  return {
    id: s.id,
    matchers: JSON.stringify(s.matchers),
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    comment: s.comment,
    created_by: JSON.stringify(s.createdBy),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    expired_by: s.expiredBy === null ? null : JSON.stringify(s.expiredBy),
    reminder_sent_at: s.reminderSentAt,
  };
}

export function silenceFromRow(r: SilenceRow): Silence {
  return {
    id: r.id,
    matchers: JSON.parse(r.matchers) as Matcher[],
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    comment: r.comment,
    createdBy: JSON.parse(r.created_by) as Actor,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    expiredBy: actorOrNull(r.expired_by),
    reminderSentAt: nullableNumber(r.reminder_sent_at),
  };
}

export function maintenanceWindowToRow(w: MaintenanceWindow): MaintenanceWindowRow {
  return {
    id: w.id,
    name: w.name,
    service: w.service,
    matchers: JSON.stringify(w.matchers),
    starts_at: w.startsAt,
    duration_ms: w.durationMs,
    rrule: w.recurrence?.rrule ?? null,
    time_zone: w.recurrence?.timeZone ?? null,
    comment: w.comment,
    created_by: JSON.stringify(w.createdBy),
    created_at: w.createdAt,
    removed_at: w.removedAt,
    removed_by: w.removedBy === null ? null : JSON.stringify(w.removedBy),
  };
}

export function maintenanceWindowFromRow(r: MaintenanceWindowRow): MaintenanceWindow {
  return {
    id: r.id,
    name: r.name,
    service: r.service,
    matchers: JSON.parse(r.matchers) as Matcher[],
    startsAt: Number(r.starts_at),
    durationMs: Number(r.duration_ms),
    recurrence: r.rrule === null || r.time_zone === null ? null : { rrule: r.rrule, timeZone: r.time_zone },
    comment: r.comment,
    createdBy: JSON.parse(r.created_by) as Actor,
    createdAt: Number(r.created_at),
    removedAt: nullableNumber(r.removed_at),
    removedBy: actorOrNull(r.removed_by),
  };
}

export function inhibitionRuleToRow(i: InhibitionRule): InhibitionRuleRow {
  return {
    id: i.id,
    name: i.name,
    source_matchers: JSON.stringify(i.sourceMatchers),
    target_matchers: JSON.stringify(i.targetMatchers),
    equal_labels: JSON.stringify(i.equal),
    comment: i.comment,
    created_by: JSON.stringify(i.createdBy),
    created_at: i.createdAt,
    removed_at: i.removedAt,
    removed_by: i.removedBy === null ? null : JSON.stringify(i.removedBy),
  };
}

export function inhibitionRuleFromRow(r: InhibitionRuleRow): InhibitionRule {
  return {
    id: r.id,
    name: r.name,
    sourceMatchers: JSON.parse(r.source_matchers) as Matcher[],
    targetMatchers: JSON.parse(r.target_matchers) as Matcher[],
    equal: JSON.parse(r.equal_labels) as string[],
    comment: r.comment,
    createdBy: JSON.parse(r.created_by) as Actor,
    createdAt: Number(r.created_at),
    removedAt: nullableNumber(r.removed_at),
    removedBy: actorOrNull(r.removed_by),
  };
}

function reasonColumns(reason: MuteReason): Pick<MutedAlertRow, 'reason_kind' | 'reason_id' | 'inhibitor_alert_id'> {
  switch (reason.kind) {
    case 'silence':
      return { reason_kind: 'silence', reason_id: reason.silenceId, inhibitor_alert_id: null };
    case 'maintenance':
      return { reason_kind: 'maintenance', reason_id: reason.windowId, inhibitor_alert_id: null };
    case 'inhibition':
      return { reason_kind: 'inhibition', reason_id: reason.ruleId, inhibitor_alert_id: reason.inhibitorAlertId };
  }
}

function reasonFromColumns(r: MutedAlertRow): MuteReason {
  if (r.reason_kind === 'silence') return { kind: 'silence', silenceId: r.reason_id };
  if (r.reason_kind === 'maintenance') return { kind: 'maintenance', windowId: r.reason_id };
  return { kind: 'inhibition', ruleId: r.reason_id, inhibitorAlertId: r.inhibitor_alert_id ?? '' };
}

export function mutedAlertToRow(m: MutedAlert): MutedAlertRow {
  return {
    id: m.id,
    source: m.source,
    integration_id: m.integrationId,
    service: m.service,
    dedup_key: m.dedupKey,
    fingerprint: m.fingerprint,
    group_key: m.groupKey,
    status: m.status,
    severity: m.severity,
    summary: m.summary,
    labels: JSON.stringify(m.labels),
    annotations: JSON.stringify(m.annotations),
    links: JSON.stringify(m.links),
    raw: JSON.stringify(m.raw),
    ...reasonColumns(m.reason),
    first_seen_at: m.firstSeenAt,
    last_seen_at: m.lastSeenAt,
    ended_at: m.endedAt,
    count: m.count,
  };
}

export function mutedAlertFromRow(r: MutedAlertRow): MutedAlert {
  return {
    id: r.id,
    source: r.source as AlertSource,
    integrationId: r.integration_id,
    service: r.service,
    dedupKey: r.dedup_key,
    fingerprint: r.fingerprint,
    groupKey: r.group_key,
    status: r.status as MutedAlertStatus,
    severity: r.severity as AlertSeverity,
    summary: r.summary,
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    links: JSON.parse(r.links) as AlertLink[],
    raw: JSON.parse(r.raw) as JsonValue,
    reason: reasonFromColumns(r),
    firstSeenAt: Number(r.first_seen_at),
    lastSeenAt: Number(r.last_seen_at),
    endedAt: nullableNumber(r.ended_at),
    count: Number(r.count),
  };
}

// --- notifications ---

export function personToRow(p: StoredPerson): PersonRow {
  return { handle: p.handle, name: p.name, methods: JSON.stringify(p.methods), rules: JSON.stringify(p.rules), created_at: p.createdAt, updated_at: p.updatedAt };
}

export function personFromRow(r: PersonRow): StoredPerson {
  return {
    handle: r.handle,
    name: r.name,
    methods: JSON.parse(r.methods) as StoredContactMethod[],
    rules: JSON.parse(r.rules) as ContactRule[],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function teamChannelToRow(c: StoredTeamChannel): TeamChannelRow {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    sealed_config: c.sealedConfig,
    services: JSON.stringify(c.services),
    severities: JSON.stringify(c.severities),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function teamChannelFromRow(r: TeamChannelRow): StoredTeamChannel {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as ContactKind,
    sealedConfig: r.sealed_config,
    services: JSON.parse(r.services) as string[],
    severities: JSON.parse(r.severities) as StoredTeamChannel['severities'],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function outboxToRow(m: OutboxMessage): OutboxRow {
  return {
    id: m.id,
    incident_id: m.incidentId,
    recipient: JSON.stringify(m.recipient),
    kind: m.kind,
    reason: m.reason,
    payload: JSON.stringify(m.payload),
    idempotency_key: m.idempotencyKey,
    state: m.state,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    lease_until: m.leaseUntil,
    cancel_if_acknowledged: m.cancelIfAcknowledged ? 1 : 0,
    last_error: m.lastError,
    last_status: m.lastStatus,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    delivered_at: m.deliveredAt,
  };
}

export function outboxFromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    incidentId: r.incident_id,
    recipient: JSON.parse(r.recipient) as OutboxRecipient,
    kind: r.kind as ContactKind,
    reason: r.reason,
    payload: JSON.parse(r.payload) as JsonObject,
    idempotencyKey: r.idempotency_key,
    state: r.state as OutboxState,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    leaseUntil: nullableNumber(r.lease_until),
    cancelIfAcknowledged: Number(r.cancel_if_acknowledged) === 1,
    lastError: r.last_error,
    lastStatus: nullableNumber(r.last_status),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deliveredAt: nullableNumber(r.delivered_at),
  };
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

// Playbooks and approvals (issue 4, parts 7 and 8).

export function playbookToRow(p: StoredPlaybook): PlaybookRow {
  return {
    name: p.playbook.name,
    definition: JSON.stringify(p.playbook),
    source_text: p.sourceText,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    updated_by: JSON.stringify(p.updatedBy),
  };
}

export function playbookFromRow(r: PlaybookRow): StoredPlaybook {
  return {
    playbook: JSON.parse(r.definition) as Playbook,
    sourceText: r.source_text,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    updatedBy: JSON.parse(r.updated_by) as Actor,
  };
}

export function playbookRunToRow(run: PlaybookRun): PlaybookRunRow {
  return {
    id: run.id,
    incident_id: run.incidentId,
    playbook_name: run.playbook.name,
    playbook: JSON.stringify(run.playbook),
    source: run.source,
    matched: run.matched,
    attached_by: JSON.stringify(run.attachedBy),
    attached_at: run.attachedAt,
    steps: JSON.stringify(run.steps),
    status: run.status,
    updated_at: run.updatedAt,
  };
}

export function playbookRunFromRow(r: PlaybookRunRow): PlaybookRun {
  return {
    id: r.id,
    incidentId: r.incident_id,
    playbook: JSON.parse(r.playbook) as Playbook,
    source: r.source as PlaybookSource,
    matched: r.matched,
    attachedBy: JSON.parse(r.attached_by) as Actor,
    attachedAt: Number(r.attached_at),
    steps: JSON.parse(r.steps) as StepState[],
    status: r.status as PlaybookRun['status'],
    updatedAt: Number(r.updated_at),
  };
}

export function approverToRow(a: Approver): ApproverRow {
  return { id: a.id, handle: a.handle, public_key: a.publicKey, fingerprint: a.fingerprint, created_at: a.createdAt, revoked_at: a.revokedAt };
}

export function approverFromRow(r: ApproverRow): Approver {
  return { id: r.id, handle: r.handle, publicKey: r.public_key, fingerprint: r.fingerprint, createdAt: Number(r.created_at), revokedAt: nullableNumber(r.revoked_at) };
}

export function approvalPolicyToRow(p: ApprovalPolicy): ApprovalPolicyRow {
  return { action: p.action, m: p.m, approvers: JSON.stringify(p.approvers), description: p.description, updated_at: p.updatedAt };
}

export function approvalPolicyFromRow(r: ApprovalPolicyRow): ApprovalPolicy {
  return { action: r.action, m: Number(r.m), approvers: JSON.parse(r.approvers) as string[], description: r.description, updatedAt: Number(r.updated_at) };
}

export function approvalRequestToRow(a: ApprovalRequest): ApprovalRequestRow {
  return {
    id: a.id,
    incident_id: a.incidentId,
    action: a.action,
    parameters: JSON.stringify(a.parameters),
    reason: a.reason,
    requester: JSON.stringify(a.requester),
    nonce: a.nonce,
    m: a.m,
    approvers: JSON.stringify(a.approvers),
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    status: a.status,
    decided_at: a.decidedAt,
    executed_at: a.executedAt,
    executed_by: a.executedBy === null ? null : JSON.stringify(a.executedBy),
    output: a.output,
  };
}

export function approvalRequestFromRow(r: ApprovalRequestRow): ApprovalRequest {
  return {
    id: r.id,
    incidentId: r.incident_id,
    action: r.action,
    parameters: JSON.parse(r.parameters) as Record<string, string>,
    reason: r.reason,
    requester: JSON.parse(r.requester) as Actor,
    nonce: r.nonce,
    m: Number(r.m),
    approvers: JSON.parse(r.approvers) as string[],
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    status: r.status as ApprovalStatus,
    decidedAt: nullableNumber(r.decided_at),
    executedAt: nullableNumber(r.executed_at),
    executedBy: r.executed_by === null ? null : (JSON.parse(r.executed_by) as Actor),
    output: r.output,
  };
}

export function approvalSignatureToRow(s: ApprovalSignature): ApprovalSignatureRow {
  return {
    id: s.id,
    request_id: s.requestId,
    approver: s.approver,
    decision: s.decision,
    signature: s.signature,
    key_fingerprint: s.keyFingerprint,
    comment: s.comment,
    at: s.at,
  };
}

export function approvalSignatureFromRow(r: ApprovalSignatureRow): ApprovalSignature {
  return {
    id: r.id,
    requestId: r.request_id,
    approver: r.approver,
    decision: r.decision as ApprovalDecision,
    signature: r.signature,
    keyFingerprint: r.key_fingerprint,
    comment: r.comment,
    at: Number(r.at),
  };
}
