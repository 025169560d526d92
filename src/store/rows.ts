import type { Actor } from '../core/actor.js';
import type { ApiToken, Integration, IntegrationKind, Role } from '../core/access.js';
import type { Alert, AlertLink, AlertSeverity, AlertSource, AlertStatus, JsonObject, JsonValue } from '../core/alert.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident, IncidentStatus, Severity } from '../core/incident.js';
import type { TimelineEntry, TimelineKind } from '../core/timeline-entry.js';
import type { Feedback, Suppression, Verdict } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { Schedule } from '../respond/schedules/schedule.js';
import type {
  AlertRow,
  FeedbackRow,
  ScheduleRow,
  SuppressionRow,
  ApiTokenRow,
  AuditRecordRow,
  IncidentRow,
  IntegrationRow,
  TimelineEntryRow,
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
