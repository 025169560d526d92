/**
 * The tables as Kysely sees them. Times are integer milliseconds since the epoch (UTC); JSON is
 * stored as text so both dialects give back exactly what was written.
 */
export interface Database {
  vigil_migrations: { version: number; name: string; applied_at: number };
  alerts: AlertRow;
  incidents: IncidentRow;
  timeline_entries: TimelineEntryRow;
  audit_records: AuditRecordRow;
  api_tokens: ApiTokenRow;
  integrations: IntegrationRow;
  feedback: FeedbackRow;
  suppressions: SuppressionRow;
  schedules: ScheduleRow;
  playbooks: PlaybookRow;
  playbook_runs: PlaybookRunRow;
  approvers: ApproverRow;
  approval_policies: ApprovalPolicyRow;
  approval_requests: ApprovalRequestRow;
  approval_signatures: ApprovalSignatureRow;
}

// Playbooks and approvals (issue 4, parts 7 and 8).

export interface PlaybookRow {
  name: string;
  /** The validated playbook as JSON. */
  definition: string;
  source_text: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

export interface PlaybookRunRow {
  id: string;
  incident_id: string;
  playbook_name: string;
  /** The playbook as it was when attached, JSON. */
  playbook: string;
  source: string;
  matched: string | null;
  attached_by: string;
  attached_at: number;
  /** Step states, JSON. */
  steps: string;
  status: string;
  updated_at: number;
}

export interface ApproverRow {
  id: string;
  handle: string;
  public_key: string;
  fingerprint: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ApprovalPolicyRow {
  action: string;
  m: number;
  /** Handles, JSON array. */
  approvers: string;
  description: string;
  updated_at: number;
}

export interface ApprovalRequestRow {
  id: string;
  incident_id: string | null;
  action: string;
  parameters: string;
  reason: string;
  requester: string;
  nonce: string;
  m: number;
  approvers: string;
  created_at: number;
  expires_at: number;
  status: string;
  decided_at: number | null;
  executed_at: number | null;
  executed_by: string | null;
  output: string | null;
}

export interface ApprovalSignatureRow {
  id: string;
  request_id: string;
  approver: string;
  decision: string;
  signature: string;
  key_fingerprint: string;
  comment: string | null;
  at: number;
}

export interface ScheduleRow {
  id: string;
  name: string;
  /** The validated schedule (layers, overrides with ms times) as JSON. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface FeedbackRow {
  id: string;
  alert_id: string;
  detector: string;
  rule: string;
  entity: string | null;
  verdict: string;
  note: string | null;
  actor: string;
  at: number;
}

export interface SuppressionRow {
  id: string;
  detector: string;
  entity: string;
  reason: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface AlertRow {
  id: string;
  source: string;
  integration_id: string;
  service: string;
  dedup_key: string;
  fingerprint: string;
  group_key: string;
  status: string;
  severity: string;
  summary: string;
  labels: string;
  annotations: string;
  links: string;
  raw: string;
  incident_id: string;
  first_seen_at: number;
  last_seen_at: number;
  resolved_at: number | null;
  count: number;
}

export interface IncidentRow {
  id: string;
  number: number;
  title: string;
  service: string;
  group_key: string;
  status: string;
  severity: string;
  assignee: string | null;
  created_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  reopened_at: number | null;
  last_alert_at: number;
  alert_count: number;
}

export interface TimelineEntryRow {
  id: string;
  incident_id: string;
  at: number;
  actor: string;
  kind: string;
  message: string;
  body: string;
}

export interface AuditRecordRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface IntegrationRow {
  id: string;
  kind: string;
  service: string;
  name: string;
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
}
