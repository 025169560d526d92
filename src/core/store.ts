import type { WatcherProgress } from './watcher-progress.js';
import type { ApiToken, Integration } from './access.js';
import type { Alert } from './alert.js';
import type { Feedback, PrecisionRow, Suppression } from './feedback.js';
import type { AuditRecord } from './audit-record.js';
import type { Incident, IncidentStatus, Severity } from './incident.js';
import type { StoredSchedule } from './stored-schedule.js';
import type { CommsReminder, IncidentUpdate } from './incident-update.js';
import type { RoleAssignment } from './role-assignment.js';
import type { StatusComponent, StatusPost } from './status-page.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { Escalation, EscalationRoute, StoredEscalationPolicy } from './escalation.js';
import type { IncidentFact } from './incident-facts.js';
import type { ImpactScore } from '../triage/impact-score.js';
import type { InhibitionRule, InhibitionSource } from './inhibition-rule.js';
import type { MaintenanceWindow } from './maintenance-window.js';
import type { MuteKind, MutedAlert, MutedAlertStatus } from './muted-alert.js';
import type { Silence, SilenceState } from './silence.js';
import type { StoredPerson, StoredTeamChannel } from './contact.js';
import type { OutboxFilter, OutboxMessage } from './outbox-message.js';
import type { PlaybookRun, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalPolicy, ApprovalRequest, ApprovalSignature, ApprovalStatus, Approver } from '../respond/approvals/approval.js';

/**
 * The store port. The core reads and writes through it and never sees SQL; adapters live in
 * `store/sqlite` and `store/postgres` and pass the same contract suite (`store/store.contract.ts`).
 */
export interface Store {
  /**
   * Runs `work` as one atomic unit and resolves only after it is committed. Adapters may commit
   * several units in one transaction (group commit); a unit that throws is rolled back alone and
   * its error is rethrown to its caller. `work` must not call `write` again.
   */
  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Queries outside any write. */
  readonly read: StoreReader;
  /** Resolves when the store answers a trivial query; rejects with STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Tells `listener` about every write transaction once its units are answered (for metrics). */
  onWriteBatch?(listener: (batch: WriteBatch) => void): void;
}

/** One write transaction of a group-committing store, as metrics see it. */
export interface WriteBatch {
  /** Units committed together. */
  readonly units: number;
  /** Units that failed and were rolled back alone. */
  readonly failed: number;
  /** From taking the write lock to the end of the commit. */
  readonly commitSeconds: number;
  /** The separate sync that made the commit durable, where the adapter has one (SQLite). */
  readonly syncSeconds: number | undefined;
}

export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[];
  readonly severities?: readonly Severity[];
  readonly service?: string;
  /** Created at or after (ms). */
  readonly since?: number;
  /** Created before (ms). */
  readonly until?: number;
  /** Only incidents numbered below this (for paging backwards, newest first). */
  readonly beforeNumber?: number;
  readonly limit: number;
}

/** Which silences to list: by state at a time (all states when absent). */
export interface SilenceFilter {
  readonly state?: SilenceState;
  /** The time the state is judged at (ms). */
  readonly at: number;
  readonly limit?: number;
}

/** Which muted alerts to list, newest first. */
export interface MutedAlertFilter {
  readonly kind?: MuteKind;
  /** The silence, maintenance window or inhibition rule that muted them (with `kind`). */
  readonly reasonId?: string;
  readonly status?: MutedAlertStatus;
  readonly limit: number;
}

export interface StoreReader {
  getIncident(id: string): Promise<Incident | undefined>;
  getIncidentByNumber(number: number): Promise<Incident | undefined>;
  /** Newest first. */
  listIncidents(filter: IncidentFilter): Promise<Incident[]>;
  countOpenIncidentsBySeverity(): Promise<Record<Severity, number>>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** Oldest first. */
  listAlertsOfIncident(incidentId: string): Promise<Alert[]>;
  countAlerts(): Promise<number>;
  /** Oldest first, in the order they were written. */
  listTimeline(incidentId: string): Promise<TimelineEntry[]>;
  /** Timeline entries of every incident with `id > afterId`, by id, at most `limit` (to verify them). */
  listTimelineEntriesAfter(afterId: string, limit: number): Promise<TimelineEntry[]>;
  /** Records with `seq > afterSeq`, in order, at most `limit`. */
  listAuditRecords(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  lastAuditRecord(): Promise<AuditRecord | undefined>;
  findApiTokenByHash(secretHash: string): Promise<ApiToken | undefined>;
  getApiToken(id: string): Promise<ApiToken | undefined>;
  countApiTokens(): Promise<number>;
  findIntegrationByKeyHash(keyHash: string): Promise<Integration | undefined>;
  getIntegration(id: string): Promise<Integration | undefined>;
  listIntegrations(): Promise<Integration[]>;
  /** Verdict counts per detector and rule, latest verdict per alert only. */
  precision(): Promise<PrecisionRow[]>;
  /** Latest verdict per alert, for one detector and entity. */
  verdictCounts(detector: string, entity: string): Promise<{ truePositives: number; falsePositives: number }>;
  listFeedback(alertId: string): Promise<Feedback[]>;
  listSuppressions(options: { includeRevoked: boolean }): Promise<Suppression[]>;
  getSuppression(id: string): Promise<Suppression | undefined>;
  /** By id or by name. */
  findSchedule(ref: string): Promise<StoredSchedule | undefined>;
  listSchedules(): Promise<StoredSchedule[]>;

  // Impact scores, incident facts and escalation.
  getImpactScore(incidentId: string): Promise<{ score: ImpactScore; updatedAt: number } | undefined>;
  /** Oldest first. */
  listIncidentFacts(incidentId: string): Promise<IncidentFact[]>;
  /** By id or by name. */
  findEscalationPolicy(ref: string): Promise<StoredEscalationPolicy | undefined>;
  listEscalationPolicies(): Promise<StoredEscalationPolicy[]>;
  /** The ordered routing rules; empty when none were set. */
  getEscalationRoutes(): Promise<EscalationRoute[]>;
  /** Where the chain's watcher last stood; undefined before it first ran. */
  getWatcherProgress(chain: string): Promise<WatcherProgress | undefined>;
  getEscalation(incidentId: string): Promise<Escalation | undefined>;
  /** Active escalations whose current level timed out at or before `now`, soonest first. */
  listDueEscalations(now: number, limit: number): Promise<Escalation[]>;
  /**
   * Messages a dispatcher may take now, oldest due first: pending ones due at or before `now`,
   * and delivering ones whose lease ran out (their claimer died).
   */
  listDueOutboxMessages(now: number, limit: number): Promise<OutboxMessage[]>;
  // Silences, maintenance windows and inhibition (correlate/).
  getSilence(id: string): Promise<Silence | undefined>;
  /** Newest first (by start). */
  listSilences(filter: SilenceFilter): Promise<Silence[]>;
  /** Active silences ending within `leadMs` of `now` whose reminder was not recorded yet, by end. */
  listSilencesDueForReminder(options: { now: number; leadMs: number }): Promise<Silence[]>;
  getMaintenanceWindow(id: string): Promise<MaintenanceWindow | undefined>;
  /** Oldest first; the removed ones only when asked. */
  listMaintenanceWindows(options: { includeRemoved: boolean; service?: string }): Promise<MaintenanceWindow[]>;
  getInhibitionRule(id: string): Promise<InhibitionRule | undefined>;
  /** Oldest first; the removed ones only when asked. */
  listInhibitionRules(options: { includeRemoved: boolean }): Promise<InhibitionRule[]>;
  /** True when at least one inhibition rule is in force (not removed). */
  inhibitionRulesInForce(): Promise<boolean>;
  /** False until the inhibition index has been built once on this database. */
  inhibitionIndexBuilt(): Promise<boolean>;
  /**
   * The indexed source of `ruleId` whose equal key is `equalKey` and that still fires, leaving
   * out the alert with `exclude`'s integration and dedup key (an alert never inhibits itself):
   * the oldest alert in an incident, else the oldest muted alert.
   */
  findInhibitionSource(ruleId: string, equalKey: string, exclude: { readonly integrationId: string; readonly dedupKey: string }): Promise<InhibitionSource | undefined>;
  /**
   * Whether anything could mute an alert of `service` at `at`: an active silence, a live
   * maintenance window of the service, or a live inhibition rule. One cheap query, so the common
   * case (nothing) costs one statement per new alert instead of three.
   */
  mutingInForce(options: { at: number; service: string }): Promise<boolean>;
  getMutedAlert(id: string): Promise<MutedAlert | undefined>;
  listMutedAlerts(filter: MutedAlertFilter): Promise<MutedAlert[]>;
  /** Every firing alert (in incidents), oldest first: the candidate sources of inhibition. */
  listFiringAlerts(): Promise<Alert[]>;

  // --- notifications: people, team channels, the outbox ---
  getPerson(handle: string): Promise<StoredPerson | undefined>;
  /** By handle. */
  listPeople(): Promise<StoredPerson[]>;
  /** By id or by name. */
  findTeamChannel(ref: string): Promise<StoredTeamChannel | undefined>;
  /** By name. */
  listTeamChannels(): Promise<StoredTeamChannel[]>;
  getOutboxMessage(id: string): Promise<OutboxMessage | undefined>;
  findOutboxMessageByKey(idempotencyKey: string): Promise<OutboxMessage | undefined>;
  /** Newest first. */
  listOutboxMessages(filter: OutboxFilter): Promise<OutboxMessage[]>;

  // Incident roles, updates and the status page (respond/roles, respond/comms).
  /** Every role assignment of an incident, current and released, oldest first. */
  listRoleAssignments(incidentId: string): Promise<RoleAssignment[]>;
  /** Oldest first. */
  listIncidentUpdates(incidentId: string): Promise<IncidentUpdate[]>;
  getCommsReminder(incidentId: string): Promise<CommsReminder | undefined>;
  /** By position then name; all services when `service` is undefined. */
  listStatusComponents(service?: string): Promise<StatusComponent[]>;
  getStatusComponent(id: string): Promise<StatusComponent | undefined>;
  /** Posts of one incident, oldest first. */
  listStatusPostsOfIncident(incidentId: string): Promise<StatusPost[]>;
  /**
   * Every post, oldest first, of the service's incidents that had a post at or after `since` or
   * whose latest post is not `resolved` (still open on the page, however old).
   */
  listStatusPostsOfService(service: string, since: number): Promise<StatusPost[]>;

  // Playbooks and approvals (issue 4, parts 7 and 8).
  /** Playbooks stored through the API, by name. */
  listPlaybooks(): Promise<StoredPlaybook[]>;
  getPlaybook(name: string): Promise<StoredPlaybook | undefined>;
  /** The runs attached to an incident, oldest first. */
  listPlaybookRuns(incidentId: string): Promise<PlaybookRun[]>;
  getPlaybookRun(id: string): Promise<PlaybookRun | undefined>;
  /** The approver's live (not revoked) key. */
  getApprover(handle: string): Promise<Approver | undefined>;
  /** A key by fingerprint, revoked or not: signatures are verified against the key they were made with. */
  findApproverKey(fingerprint: string): Promise<Approver | undefined>;
  /** By handle, then registration time. */
  listApprovers(options: { includeRevoked: boolean }): Promise<Approver[]>;
  getApprovalPolicy(action: string): Promise<ApprovalPolicy | undefined>;
  listApprovalPolicies(): Promise<ApprovalPolicy[]>;
  getApprovalRequest(id: string): Promise<ApprovalRequest | undefined>;
  /** Newest first. */
  listApprovalRequests(filter: { incidentId?: string; action?: string; statuses?: readonly ApprovalStatus[]; limit: number }): Promise<ApprovalRequest[]>;
  /** Oldest first. */
  listApprovalSignatures(requestId: string): Promise<ApprovalSignature[]>;
}

/** What a write unit can do; it also reads, and sees its own writes. */
export interface StoreTx extends StoreReader {
  /** The alert with this dedup key that is still firing for this integration, if any. */
  findFiringAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined>;
  /** The newest alert with this dedup key for this integration, firing or resolved. */
  findLatestAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined>;
  insertAlert(alert: Alert): Promise<void>;
  updateAlert(alert: Alert): Promise<void>;
  countFiringAlerts(incidentId: string): Promise<number>;
  /** The newest triggered or acknowledged incident for this service and grouping key. */
  findOpenIncident(service: string, groupKey: string): Promise<Incident | undefined>;
  /** The next incident number; unique because writes are serialised. */
  nextIncidentNumber(): Promise<number>;
  insertIncident(incident: Incident): Promise<void>;
  /**
   * Writes what can change of an incident (everything but its id, number, service, group key and
   * creation time). Given `before`, the incident as read in this unit, only the fields that differ
   * from it are written, so the indexes over unchanged columns are left alone.
   */
  updateIncident(incident: Incident, before?: Incident): Promise<void>;
  insertTimelineEntry(entry: TimelineEntry): Promise<void>;
  /** The last record's position and hash: all an append needs, without the record's data. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;
  /** Appends one record; the caller computed its hash over the current last record. */
  insertAuditRecord(record: AuditRecord): Promise<void>;
  insertApiToken(token: ApiToken): Promise<void>;
  insertIntegration(integration: Integration): Promise<void>;
  insertFeedback(feedback: Feedback): Promise<void>;
  insertSuppression(suppression: Suppression): Promise<void>;
  updateSuppression(suppression: Suppression): Promise<void>;
  /** Inserts, or replaces the schedule with the same id. */
  putSchedule(schedule: StoredSchedule): Promise<void>;

  // Impact scores, incident facts and escalation.
  putImpactScore(incidentId: string, score: ImpactScore, at: number): Promise<void>;
  /** The first score of an incident that has none (one opened in this transaction): an insert, without `put`'s update first. */
  insertImpactScore(incidentId: string, score: ImpactScore, at: number): Promise<void>;
  /** Inserts, or replaces the fact with the same incident, kind and key (keeping its id and creation time). */
  putIncidentFact(fact: IncidentFact): Promise<IncidentFact>;
  /** Inserts, or replaces the policy with the same id. */
  putEscalationPolicy(policy: StoredEscalationPolicy): Promise<void>;
  deleteEscalationPolicy(id: string): Promise<void>;
  putEscalationRoutes(routes: readonly EscalationRoute[], at: number): Promise<void>;
  /** Inserts, or replaces the chain's progress. */
  putWatcherProgress(progress: WatcherProgress, at: number): Promise<void>;
  /** Inserts, or replaces the incident's escalation. */
  putEscalation(escalation: Escalation): Promise<void>;
  // Silences, maintenance windows and inhibition (correlate/).
  insertSilence(silence: Silence): Promise<void>;
  updateSilence(silence: Silence): Promise<void>;
  insertMaintenanceWindow(window: MaintenanceWindow): Promise<void>;
  updateMaintenanceWindow(window: MaintenanceWindow): Promise<void>;
  insertInhibitionRule(rule: InhibitionRule): Promise<void>;
  updateInhibitionRule(rule: InhibitionRule): Promise<void>;
  /** Replaces the index entries of one source (an alert or muted alert id); none once it has ended. */
  replaceInhibitionSources(sourceId: string, entries: readonly InhibitionSource[]): Promise<void>;
  /** Drops index entries: of one rule, or all of them. */
  deleteInhibitionSources(filter: { readonly ruleId: string } | 'all'): Promise<void>;
  /** Records that the inhibition index has been built (see `inhibitionIndexBuilt`). */
  markInhibitionIndexBuilt(at: number): Promise<void>;
  /** The still-muted alert with this dedup key for this integration, if any. */
  findMutedAlert(integrationId: string, dedupKey: string): Promise<MutedAlert | undefined>;
  insertMutedAlert(alert: MutedAlert): Promise<void>;
  updateMutedAlert(alert: MutedAlert): Promise<void>;

  // --- notifications ---
  /** Inserts, or replaces the person with the same handle. */
  putPerson(person: StoredPerson): Promise<void>;
  /** Inserts, or replaces the channel with the same id. */
  putTeamChannel(channel: StoredTeamChannel): Promise<void>;
  /** False when there was no such channel. */
  deleteTeamChannel(id: string): Promise<boolean>;
  /** Fails on a second message with the same idempotency key (check `findOutboxMessageByKey` first). */
  insertOutboxMessage(message: OutboxMessage): Promise<void>;
  updateOutboxMessage(message: OutboxMessage): Promise<void>;

  // Incident roles, updates and the status page (respond/roles, respond/comms).
  insertRoleAssignment(assignment: RoleAssignment): Promise<void>;
  /** Replaces the assignment with the same id (to release it). */
  updateRoleAssignment(assignment: RoleAssignment): Promise<void>;
  insertIncidentUpdate(update: IncidentUpdate): Promise<void>;
  /** Inserts, or replaces the reminder of the same incident. */
  putCommsReminder(reminder: CommsReminder): Promise<void>;
  /** Inserts, or replaces the component with the same id. */
  putStatusComponent(component: StatusComponent): Promise<void>;
  deleteStatusComponent(id: string): Promise<void>;
  insertStatusPost(post: StatusPost): Promise<void>;

  // Playbooks and approvals (issue 4, parts 7 and 8).
  /** Inserts, or replaces the playbook with the same name. */
  putPlaybook(playbook: StoredPlaybook): Promise<void>;
  /** Refuses (CONFLICT) a second run of the same playbook on the same incident. */
  insertPlaybookRun(run: PlaybookRun): Promise<void>;
  updatePlaybookRun(run: PlaybookRun): Promise<void>;
  /** Refuses (CONFLICT) a second live key for the same handle. */
  insertApprover(approver: Approver): Promise<void>;
  updateApprover(approver: Approver): Promise<void>;
  putApprovalPolicy(policy: ApprovalPolicy): Promise<void>;
  insertApprovalRequest(request: ApprovalRequest): Promise<void>;
  updateApprovalRequest(request: ApprovalRequest): Promise<void>;
  /** Refuses (CONFLICT) a second signature by the same approver on the same request. */
  insertApprovalSignature(signature: ApprovalSignature): Promise<void>;
}
