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
  // Impact scores, incident facts and escalation (migration 8).
  impact_scores: ImpactScoreRow;
  incident_facts: IncidentFactRow;
  escalation_policies: EscalationPolicyRow;
  escalation_routing: EscalationRoutingRow;
  watcher_progress: WatcherProgressRow;
  escalations: EscalationRow;
  // Silences, maintenance windows and inhibition (correlate/):
  silences: SilenceRow;
  maintenance_windows: MaintenanceWindowRow;
  inhibition_rules: InhibitionRuleRow;
  inhibition_sources: InhibitionSourceRow;
  inhibition_index_built: { built_at: number };
  muted_alerts: MutedAlertRow;
  // notifications (issue 4, part 4)
  people: PersonRow;
  team_channels: TeamChannelRow;
  outbox: OutboxRow;
  // Incident roles, updates and the status page (migration 7).
  role_assignments: RoleAssignmentRow;
  incident_updates: IncidentUpdateRow;
  comms_reminders: CommsReminderRow;
  status_components: StatusComponentRow;
  status_posts: StatusPostRow;
  // Playbooks and approvals (migration 6).
  playbooks: PlaybookRow;
  playbook_runs: PlaybookRunRow;
  approvers: ApproverRow;
  approval_policies: ApprovalPolicyRow;
  approval_requests: ApprovalRequestRow;
  approval_signatures: ApprovalSignatureRow;
}

export interface ImpactScoreRow {
  incident_id: string;
  /** The score with its breakdown, as JSON (measures are decimal strings, so bigint-safe). */
  score: string;
  updated_at: number;
}

export interface IncidentFactRow {
  id: string;
  incident_id: string;
  kind: string;
  key: string;
  /** The fact as JSON; amounts as decimal strings. */
  body: string;
  actor: string;
  created_at: number;
  updated_at: number;
}

export interface EscalationPolicyRow {
  id: string;
  name: string;
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface InhibitionSourceRow {
  rule_id: string;
  source_id: string;
  kind: 'alert' | 'muted';
  integration_id: string;
  dedup_key: string;
  equal_key: string;
  since: number;
}

export interface WatcherProgressRow {
  chain: string;
  processed: number;
  /** JSON: [{ number, hash }], ascending. */
  hashes: string;
  updated_at: number;
}

export interface EscalationRoutingRow {
  id: number;
  routes: string;
  updated_at: number;
}

export interface EscalationRow {
  incident_id: string;
  policy_id: string;
  policy_name: string;
  level: number;
  round: number;
  status: string;
  next_at: number | null;
  started_at: number;
  updated_at: number;
  reason: string;
}

// Silences, maintenance windows and inhibition. Matchers, actors and equal lists are JSON text.

export interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  expired_by: string | null;
  reminder_sent_at: number | null;
}

export interface MaintenanceWindowRow {
  id: string;
  name: string;
  service: string;
  matchers: string;
  starts_at: number;
  duration_ms: number;
  rrule: string | null;
  time_zone: string | null;
  comment: string;
  created_by: string;
  created_at: number;
  removed_at: number | null;
  removed_by: string | null;
}

export interface InhibitionRuleRow {
  id: string;
  name: string;
  source_matchers: string;
  target_matchers: string;
  equal_labels: string;
  comment: string;
  created_by: string;
  created_at: number;
  removed_at: number | null;
  removed_by: string | null;
}

export interface MutedAlertRow {
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
  reason_kind: string;
  reason_id: string;
  inhibitor_alert_id: string | null;
  first_seen_at: number;
  last_seen_at: number;
  ended_at: number | null;
  count: number;
}

// --- notifications: people, team channels, the outbox ---

export interface PersonRow {
  handle: string;
  name: string;
  /** The contact methods as JSON; each method's config is sealed (encrypted). */
  methods: string;
  rules: string;
  created_at: number;
  updated_at: number;
}

export interface TeamChannelRow {
  id: string;
  name: string;
  kind: string;
  /** The channel's config, encrypted: webhook URLs embed tokens. */
  sealed_config: string;
  services: string;
  severities: string;
  created_at: number;
  updated_at: number;
}

export interface OutboxRow {
  id: string;
  incident_id: string | null;
  recipient: string;
  kind: string;
  reason: string;
  payload: string;
  idempotency_key: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  /** 0 or 1: booleans are integers in both dialects. */
  cancel_if_acknowledged: number;
  last_error: string | null;
  last_status: number | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
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
