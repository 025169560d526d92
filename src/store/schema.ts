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
  role_assignments: RoleAssignmentRow;
  incident_updates: IncidentUpdateRow;
  comms_reminders: CommsReminderRow;
  status_components: StatusComponentRow;
  status_posts: StatusPostRow;
}

// Incident roles, updates and the status page (migration 7).
export interface RoleAssignmentRow {
  id: string;
  incident_id: string;
  role: string;
  person: string;
  assigned_at: number;
  assigned_by: string;
  released_at: number | null;
  released_by: string | null;
}

export interface IncidentUpdateRow {
  id: string;
  incident_id: string;
  audience: string;
  body: string;
  actor: string;
  at: number;
}

export interface CommsReminderRow {
  incident_id: string;
  since_at: number;
  period: number;
  at: number;
}

export interface StatusComponentRow {
  id: string;
  service: string;
  name: string;
  description: string;
  status: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface StatusPostRow {
  id: string;
  incident_id: string;
  service: string;
  title: string;
  state: string;
  message: string;
  /** JSON array of { componentId, status }. */
  components: string;
  published_by: string;
  actor: string;
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
  /** The person (handle) the token was issued to, if any (migration 7). */
  person: string | null;
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
