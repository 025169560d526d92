import { sql } from 'kysely';
import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { Escalation, EscalationRoute, StoredEscalationPolicy } from '../core/escalation.js';
import type { IncidentFact } from '../core/incident-facts.js';
import type { ImpactScore } from '../triage/impact-score.js';
import type { CommsReminder, IncidentUpdate } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { StatusComponent, StatusPost } from '../core/status-page.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident } from '../core/incident.js';
import type { WatcherProgress } from '../core/watcher-progress.js';
import type { StoreTx } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { StoredPerson, StoredTeamChannel } from '../core/contact.js';
import type { OutboxMessage } from '../core/outbox-message.js';
import { KyselyReader, type SqlBoolean, isTrue } from './kysely-reader.js';
import { firing, muted, one, openStatuses } from './sql-literals.js';
import { prepare } from './prepared.js';
import type { Database, IncidentRow } from './schema.js';

/** What an update may write; the rest is fixed when the incident is opened. */
const changeableIncidentColumns = [
  'title',
  'status',
  'severity',
  'assignee',
  'updated_at',
  'acknowledged_at',
  'resolved_at',
  'reopened_at',
  'last_alert_at',
  'alert_count',
] as const satisfies readonly (keyof IncidentRow)[];
import type { InhibitionRule, InhibitionSource } from '../core/inhibition-rule.js';
import type { MaintenanceWindow } from '../core/maintenance-window.js';
import type { MutedAlert } from '../core/muted-alert.js';
import type { Silence } from '../core/silence.js';
import { inhibitionRuleToRow, maintenanceWindowToRow, mutedAlertFromRow, mutedAlertToRow, silenceToRow } from './rows.js';
import {
  alertFromRow,
  alertToRow,
  feedbackToRow,
  scheduleToRow,
  impactScoreToRow,
  incidentFactToRow,
  escalationPolicyToRow,
  escalationToRow,
  suppressionToRow,
  apiTokenToRow,
  auditRecordToRow,
  incidentFromRow,
  incidentToRow,
  integrationToRow,
  timelineEntryToRow,
  outboxToRow,
  personToRow,
  teamChannelToRow,
  commsReminderToRow,
  incidentUpdateToRow,
  roleAssignmentToRow,
  statusComponentToRow,
  statusPostToRow,
  playbookToRow,
  playbookRunToRow,
  approverToRow,
  approvalPolicyToRow,
  approvalRequestToRow,
  approvalSignatureToRow,
} from './rows.js';
import { VigilError } from '../core/errors.js';
import type { PlaybookRun, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalPolicy, ApprovalRequest, ApprovalSignature, Approver } from '../respond/approvals/approval.js';

// The queries every ingested alert runs, compiled once (src/store/prepared.ts).
const firingAlert = prepare<{ integrationId: string; dedupKey: string }>()((db, $) =>
  db.selectFrom('alerts').selectAll().where('integration_id', '=', $.integrationId).where('dedup_key', '=', $.dedupKey).where('status', '=', firing),
);
const liveMutedAlert = prepare<{ integrationId: string; dedupKey: string }>()((db, $) =>
  db.selectFrom('muted_alerts').selectAll().where('integration_id', '=', $.integrationId).where('dedup_key', '=', $.dedupKey).where('status', '=', muted),
);
const openIncidentOfGroup = prepare<{ service: string; groupKey: string }>()((db, $) =>
  db.selectFrom('incidents').selectAll().where('service', '=', $.service).where('group_key', '=', $.groupKey).where('status', 'in', openStatuses).orderBy('number', 'desc').limit(one),
);
const lastIncidentNumber = prepare()((db) => db.selectFrom('incidents').select((eb) => eb.fn.max<number | null>('number').as('n')));
const lastAuditRecord = prepare()((db) => db.selectFrom('audit_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(one));

const anyLiveMuted = prepare()((db) => ({
  compile: () => sql<{ found: SqlBoolean }>`select exists (select 1 from muted_alerts where status = ${muted}) as found`.compile(db),
}));

const inhibitionSourcesOf = prepare<{ sourceId: string }>()((db, $) => db.deleteFrom('inhibition_sources').where('source_id', '=', $.sourceId));

const unknownHead = Symbol('not read yet');

function groupOf(service: string, groupKey: string): string {
  return `${service}\u0000${groupKey}`;
}

function isOpen(incident: Incident): boolean {
  return incident.status !== 'resolved';
}

/** The write side of the store, bound to the connection of an open transaction. */
export class KyselyTx extends KyselyReader implements StoreTx {
  /**
   * The chain's head as this transaction last read or wrote it. Every writer holds the write lock
   * for the whole transaction, so nothing else appends meanwhile, and one read per batch does
   * instead of one per record.
   */
  #auditHead: { seq: number; hash: string } | undefined | typeof unknownHead = unknownHead;
  /**
   * The open incident of each group this transaction has looked up or written (null: none), by
   * `service NUL group key`. A batch of grouped alerts asks for the same group's incident once
   * per alert, and only this transaction can open, update or close an incident until it commits.
   */
  readonly #openIncidents = new Map<string, Incident | null>();
  /** The highest incident number this transaction has read or written. */
  #lastNumber: number | undefined;
  /** Whether an inhibition rule is in force, as this transaction last read it (every new alert asks). */
  #rulesInForce: boolean | undefined;
  /**
   * Per service, a time from which nothing can mute its alerts: at that time no silence ended
   * later, and it had no maintenance window and no inhibition rule was in force. Every new alert
   * asks whether something mutes it; on a quiet system a batch then asks the database once per
   * service. A write to silences, windows or rules through this transaction forgets it.
   */
  readonly #quietFrom = new Map<string, number>();
  /**
   * False once this transaction knows no alert is muted (nothing to release or count a repeat
   * on): every new alert looks for its muted twin, and on a system that mutes nothing a batch
   * then asks once. Writing a muted alert through the transaction forgets it.
   */
  #anyLiveMuted: boolean | undefined;
  /**
   * Configuration the respond stage reads for every alert or every new incident (the playbook
   * catalogue, the team channels, the escalation routes), as this transaction last read it; a
   * write to one through this transaction forgets it. Only a writer holding the write lock can
   * change them, and until this transaction commits that is this one.
   */
  #playbooks: StoredPlaybook[] | undefined;
  #teamChannels: StoredTeamChannel[] | undefined;
  #escalationRoutes: EscalationRoute[] | undefined;

  async findFiringAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined> {
    const row = await this.first(firingAlert, { integrationId, dedupKey });
    return row && alertFromRow(row);
  }

  async findLatestAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('dedup_key', '=', dedupKey)
      .orderBy('first_seen_at', 'desc')
      .orderBy('id', 'desc')
      .limit(one)
      .executeTakeFirst();
    return row && alertFromRow(row);
  }

  async insertAlert(alert: Alert): Promise<void> {
    await this.prepared.insert(this.db, 'alerts', alertToRow(alert));
  }

  async updateAlert(alert: Alert): Promise<void> {
    const { id, ...rest } = alertToRow(alert);
    await this.prepared.update(this.db, { table: 'alerts', key: 'id', value: id }, rest);
  }

  async countFiringAlerts(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .where('status', '=', firing)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findOpenIncident(service: string, groupKey: string): Promise<Incident | undefined> {
    const key = groupOf(service, groupKey);
    const known = this.#openIncidents.get(key);
    if (known !== undefined) return known ?? undefined;
    const row = await this.first(openIncidentOfGroup, { service, groupKey });
    const found = row && incidentFromRow(row);
    this.#openIncidents.set(key, found ?? null);
    return found;
  }

  async nextIncidentNumber(): Promise<number> {
    if (this.#lastNumber === undefined) {
      const row = await this.first(lastIncidentNumber, {});
      this.#lastNumber = Number(row?.n ?? 0);
    }
    return this.#lastNumber + 1;
  }

  async insertIncident(incident: Incident): Promise<void> {
    await this.prepared.insert(this.db, 'incidents', incidentToRow(incident));
    if (this.#lastNumber !== undefined) this.#lastNumber = Math.max(this.#lastNumber, incident.number);
    // A group's open incident is its open one with the highest number.
    const key = groupOf(incident.service, incident.groupKey);
    const known = this.#openIncidents.get(key);
    if (isOpen(incident) && known !== undefined && (known === null || known.number < incident.number)) this.#openIncidents.set(key, incident);
  }

  async updateIncident(incident: Incident, before?: Incident): Promise<void> {
    const row = incidentToRow(incident);
    const old = before && incidentToRow(before);
    const changed: Partial<IncidentRow> = {};
    for (const column of changeableIncidentColumns) if (old === undefined || row[column] !== old[column]) Object.assign(changed, { [column]: row[column] });
    if (Object.keys(changed).length === 0) return;
    await this.prepared.update(this.db, { table: 'incidents', key: 'id', value: row.id }, changed);
    // The remembered incident follows its own updates while it stays open. Anything else (it
    // closed, another incident of the group reopened) may change which incident is the group's
    // open one, so the next lookup asks the database again.
    const key = groupOf(incident.service, incident.groupKey);
    const known = this.#openIncidents.get(key);
    // Only the columns that differ from `before` were written: the row equals `incident` when
    // `before` is what was remembered (or absent, when every column was written).
    const exact = before === undefined || before === known;
    if (known !== undefined && known !== null && known.id === incident.id && isOpen(incident) && exact) this.#openIncidents.set(key, incident);
    else this.#openIncidents.delete(key);
  }

  async insertTimelineEntry(entry: TimelineEntry): Promise<void> {
    await this.prepared.insert(this.db, 'timeline_entries', timelineEntryToRow(entry));
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    if (this.#auditHead !== unknownHead) return this.#auditHead;
    const row = await this.first(lastAuditRecord, {});
    this.#auditHead = row && { seq: Number(row.seq), hash: row.hash };
    return this.#auditHead;
  }

  async insertAuditRecord(record: AuditRecord): Promise<void> {
    await this.prepared.insert(this.db, 'audit_records', auditRecordToRow(record));
    this.#auditHead = { seq: record.seq, hash: record.hash };
  }

  /**
   * Replaces the row of `table` whose `key` column equals the row's, or inserts the row when there
   * is none. `keepCreatedAt`: a replaced row keeps the creation time of its first put.
   */
  async #put(table: keyof Database, row: object, options: { readonly key: string; readonly keepCreatedAt?: boolean }): Promise<void> {
    const { [options.key]: value, ...changes } = row as Record<string, unknown>;
    if (options.keepCreatedAt === true) delete changes.created_at;
    const updated = await this.prepared.update(this.db, { table, key: options.key, value }, changes);
    if (updated === 0) await this.prepared.insert(this.db, table, row);
  }

  /**
   * Forgets what this transaction has remembered (the audit head, open incidents, the last
   * incident number, whether inhibition rules are in force, the respond stage's configuration).
   * The store calls it after rolling back to a savepoint, which may have undone the writes it was
   * remembered from.
   */
  forgetRemembered(): void {
    this.#auditHead = unknownHead;
    this.#openIncidents.clear();
    this.#lastNumber = undefined;
    this.#rulesInForce = undefined;
    this.#quietFrom.clear();
    this.#anyLiveMuted = undefined;
    this.#playbooks = undefined;
    this.#teamChannels = undefined;
    this.#escalationRoutes = undefined;
  }

  // Copies, so that a caller sorting or extending its list does not change the next caller's.
  override async listPlaybooks(): Promise<StoredPlaybook[]> {
    this.#playbooks ??= await super.listPlaybooks();
    return [...this.#playbooks];
  }

  override async listTeamChannels(): Promise<StoredTeamChannel[]> {
    this.#teamChannels ??= await super.listTeamChannels();
    return [...this.#teamChannels];
  }

  override async getEscalationRoutes(): Promise<EscalationRoute[]> {
    this.#escalationRoutes ??= await super.getEscalationRoutes();
    return [...this.#escalationRoutes];
  }

  override async inhibitionRulesInForce(): Promise<boolean> {
    this.#rulesInForce ??= await super.inhibitionRulesInForce();
    return this.#rulesInForce;
  }

  override async mutingInForce(options: { at: number; service: string }): Promise<boolean> {
    const quiet = this.#quietFrom.get(options.service);
    let found = false;
    if (quiet === undefined || options.at < quiet) {
      const outlook = await this.mutingOutlook(options);
      found = outlook.found;
      if (!outlook.possible) this.#quietFrom.set(options.service, options.at);
    }
    // Every new alert asks this first; when nothing mutes, no inhibition rule is in force either.
    if (!found) this.#rulesInForce = false;
    return found;
  }

  async insertApiToken(token: ApiToken): Promise<void> {
    await this.db.insertInto('api_tokens').values(apiTokenToRow(token)).execute();
  }

  async insertIntegration(integration: Integration): Promise<void> {
    await this.db.insertInto('integrations').values(integrationToRow(integration)).execute();
  }

  async insertFeedback(feedback: Feedback): Promise<void> {
    await this.db.insertInto('feedback').values(feedbackToRow(feedback)).execute();
  }

  async insertSuppression(suppression: Suppression): Promise<void> {
    await this.db.insertInto('suppressions').values(suppressionToRow(suppression)).execute();
  }

  async updateSuppression(suppression: Suppression): Promise<void> {
    const { id, ...rest } = suppressionToRow(suppression);
    await this.db.updateTable('suppressions').set(rest).where('id', '=', id).execute();
  }

  async putSchedule(schedule: StoredSchedule): Promise<void> {
    await this.#put('schedules', scheduleToRow(schedule), { key: 'id', keepCreatedAt: true });
  }

  // Impact scores, incident facts and escalation.

  async putImpactScore(incidentId: string, score: ImpactScore, at: number): Promise<void> {
    await this.#put('impact_scores', impactScoreToRow(incidentId, score, at), { key: 'incident_id' });
  }

  async insertImpactScore(incidentId: string, score: ImpactScore, at: number): Promise<void> {
    await this.prepared.insert(this.db, 'impact_scores', impactScoreToRow(incidentId, score, at));
  }

  async putIncidentFact(fact: IncidentFact): Promise<IncidentFact> {
    const existing = await this.db
      .selectFrom('incident_facts')
      .select(['id', 'created_at'])
      .where('incident_id', '=', fact.incidentId)
      .where('kind', '=', fact.body.kind)
      .where('key', '=', fact.key)
      .executeTakeFirst();
    const stored: IncidentFact = existing === undefined ? fact : { ...fact, id: existing.id, createdAt: Number(existing.created_at) };
    const row = incidentFactToRow(stored);
    if (existing === undefined) await this.db.insertInto('incident_facts').values(row).execute();
    else await this.db.updateTable('incident_facts').set({ body: row.body, actor: row.actor, updated_at: row.updated_at }).where('id', '=', row.id).execute();
    return stored;
  }

  async putEscalationPolicy(policy: StoredEscalationPolicy): Promise<void> {
    await this.#put('escalation_policies', escalationPolicyToRow(policy), { key: 'id' });
  }

  async deleteEscalationPolicy(id: string): Promise<void> {
    await this.db.deleteFrom('escalation_policies').where('id', '=', id).execute();
  }

  async putEscalationRoutes(routes: readonly EscalationRoute[], at: number): Promise<void> {
    await this.#put('escalation_routing', { id: 1, routes: JSON.stringify(routes), updated_at: at }, { key: 'id' });
    this.#escalationRoutes = undefined;
  }

  async putWatcherProgress(progress: WatcherProgress, at: number): Promise<void> {
    await this.#put('watcher_progress', { chain: progress.chain, processed: progress.processed, hashes: JSON.stringify(progress.hashes), updated_at: at }, { key: 'chain' });
  }

  async putEscalation(escalation: Escalation): Promise<void> {
    await this.#put('escalations', escalationToRow(escalation), { key: 'incident_id' });
  }


  // Silences, maintenance windows and inhibition.

  async insertSilence(silence: Silence): Promise<void> {
    await this.db.insertInto('silences').values(silenceToRow(silence)).execute();
    this.#quietFrom.clear();
  }

  async updateSilence(silence: Silence): Promise<void> {
    const { id, ...rest } = silenceToRow(silence);
    await this.db.updateTable('silences').set(rest).where('id', '=', id).execute();
    this.#quietFrom.clear();
  }

  async insertMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    await this.db.insertInto('maintenance_windows').values(maintenanceWindowToRow(window)).execute();
    this.#quietFrom.clear();
  }

  async updateMaintenanceWindow(window: MaintenanceWindow): Promise<void> {
    const { id, ...rest } = maintenanceWindowToRow(window);
    await this.db.updateTable('maintenance_windows').set(rest).where('id', '=', id).execute();
    this.#quietFrom.clear();
  }

  async insertInhibitionRule(rule: InhibitionRule): Promise<void> {
    await this.db.insertInto('inhibition_rules').values(inhibitionRuleToRow(rule)).execute();
    this.#rulesInForce = undefined;
    this.#quietFrom.clear();
  }

  async updateInhibitionRule(rule: InhibitionRule): Promise<void> {
    const { id, ...rest } = inhibitionRuleToRow(rule);
    await this.db.updateTable('inhibition_rules').set(rest).where('id', '=', id).execute();
    this.#rulesInForce = undefined;
    this.#quietFrom.clear();
  }

  async replaceInhibitionSources(sourceId: string, entries: readonly InhibitionSource[]): Promise<void> {
    await this.prepared.rows(this.db, inhibitionSourcesOf, { sourceId });
    for (const e of entries) {
      const row = { rule_id: e.ruleId, source_id: sourceId, kind: e.kind, integration_id: e.integrationId, dedup_key: e.dedupKey, equal_key: e.equalKey, since: e.since };
      await this.prepared.insert(this.db, 'inhibition_sources', row);
    }
  }

  async markInhibitionIndexBuilt(at: number): Promise<void> {
    await this.db.deleteFrom('inhibition_index_built').execute();
    await this.db.insertInto('inhibition_index_built').values({ built_at: at }).execute();
  }

  async deleteInhibitionSources(filter: { readonly ruleId: string } | 'all'): Promise<void> {
    let query = this.db.deleteFrom('inhibition_sources');
    if (filter !== 'all') query = query.where('rule_id', '=', filter.ruleId);
    await query.execute();
  }

  async findMutedAlert(integrationId: string, dedupKey: string): Promise<MutedAlert | undefined> {
    if (this.#anyLiveMuted === undefined) {
      this.#anyLiveMuted = isTrue((await this.first(anyLiveMuted, {}))?.found);
    }
    if (!this.#anyLiveMuted) return undefined;
    const row = await this.first(liveMutedAlert, { integrationId, dedupKey });
    return row && mutedAlertFromRow(row);
  }

  async insertMutedAlert(alert: MutedAlert): Promise<void> {
    await this.db.insertInto('muted_alerts').values(mutedAlertToRow(alert)).execute();
    this.#anyLiveMuted = undefined;
  }

  async updateMutedAlert(alert: MutedAlert): Promise<void> {
    const { id, ...rest } = mutedAlertToRow(alert);
    await this.db.updateTable('muted_alerts').set(rest).where('id', '=', id).execute();
    this.#anyLiveMuted = undefined;
  }

  // --- notifications ---

  async putPerson(person: StoredPerson): Promise<void> {
    await this.#put('people', personToRow(person), { key: 'handle', keepCreatedAt: true });
  }

  async putTeamChannel(channel: StoredTeamChannel): Promise<void> {
    await this.#put('team_channels', teamChannelToRow(channel), { key: 'id', keepCreatedAt: true });
    this.#teamChannels = undefined;
  }

  async deleteTeamChannel(id: string): Promise<boolean> {
    const deleted = await this.db.deleteFrom('team_channels').where('id', '=', id).executeTakeFirst();
    this.#teamChannels = undefined;
    return Number(deleted.numDeletedRows) > 0;
  }

  async insertOutboxMessage(message: OutboxMessage): Promise<void> {
    await this.db.insertInto('outbox').values(outboxToRow(message)).execute();
  }

  async updateOutboxMessage(message: OutboxMessage): Promise<void> {
    const { id, ...rest } = outboxToRow(message);
    await this.db.updateTable('outbox').set(rest).where('id', '=', id).execute();
  }


  // Incident roles, updates and the status page.

  async insertRoleAssignment(assignment: RoleAssignment): Promise<void> {
    await this.db.insertInto('role_assignments').values(roleAssignmentToRow(assignment)).execute();
  }

  async updateRoleAssignment(assignment: RoleAssignment): Promise<void> {
    const { id, ...rest } = roleAssignmentToRow(assignment);
    await this.db.updateTable('role_assignments').set(rest).where('id', '=', id).execute();
  }

  async insertIncidentUpdate(update: IncidentUpdate): Promise<void> {
    await this.db.insertInto('incident_updates').values(incidentUpdateToRow(update)).execute();
  }

  async putCommsReminder(reminder: CommsReminder): Promise<void> {
    await this.#put('comms_reminders', commsReminderToRow(reminder), { key: 'incident_id' });
  }

  async putStatusComponent(component: StatusComponent): Promise<void> {
    await this.#put('status_components', statusComponentToRow(component), { key: 'id', keepCreatedAt: true });
  }

  async deleteStatusComponent(id: string): Promise<void> {
    await this.db.deleteFrom('status_components').where('id', '=', id).execute();
  }

  async insertStatusPost(post: StatusPost): Promise<void> {
    await this.db.insertInto('status_posts').values(statusPostToRow(post)).execute();
  }

  // Playbooks and approvals (issue 4, parts 7 and 8). Uniqueness is checked before inserting so
  // that both dialects answer CONFLICT instead of a driver error that would abort the transaction.

  async putPlaybook(playbook: StoredPlaybook): Promise<void> {
    await this.#put('playbooks', playbookToRow(playbook), { key: 'name', keepCreatedAt: true });
    this.#playbooks = undefined;
  }

  async insertPlaybookRun(run: PlaybookRun): Promise<void> {
    const existing = await this.db
      .selectFrom('playbook_runs')
      .select('id')
      .where('incident_id', '=', run.incidentId)
      .where('playbook_name', '=', run.playbook.name)
      .executeTakeFirst();
    if (existing !== undefined) throw new VigilError('CONFLICT', `playbook ${run.playbook.name} is already attached to this incident (run ${existing.id})`);
    await this.db.insertInto('playbook_runs').values(playbookRunToRow(run)).execute();
  }

  async updatePlaybookRun(run: PlaybookRun): Promise<void> {
    const { id, ...rest } = playbookRunToRow(run);
    await this.db.updateTable('playbook_runs').set(rest).where('id', '=', id).execute();
  }

  async insertApprover(approver: Approver): Promise<void> {
    if (approver.revokedAt === null && (await this.getApprover(approver.handle)) !== undefined) {
      throw new VigilError('CONFLICT', `${approver.handle} already has a registered key; revoke it first`);
    }
    await this.db.insertInto('approvers').values(approverToRow(approver)).execute();
  }

  async updateApprover(approver: Approver): Promise<void> {
    const { id, ...rest } = approverToRow(approver);
    await this.db.updateTable('approvers').set(rest).where('id', '=', id).execute();
  }

  async putApprovalPolicy(policy: ApprovalPolicy): Promise<void> {
    await this.#put('approval_policies', approvalPolicyToRow(policy), { key: 'action' });
  }

  async insertApprovalRequest(request: ApprovalRequest): Promise<void> {
    await this.db.insertInto('approval_requests').values(approvalRequestToRow(request)).execute();
  }

  async updateApprovalRequest(request: ApprovalRequest): Promise<void> {
    const { id, ...rest } = approvalRequestToRow(request);
    await this.db.updateTable('approval_requests').set(rest).where('id', '=', id).execute();
  }

  async insertApprovalSignature(signature: ApprovalSignature): Promise<void> {
    const existing = await this.db
      .selectFrom('approval_signatures')
      .select('id')
      .where('request_id', '=', signature.requestId)
      .where('approver', '=', signature.approver)
      .executeTakeFirst();
    if (existing !== undefined) throw new VigilError('CONFLICT', `${signature.approver} has already decided on this request`);
    await this.db.insertInto('approval_signatures').values(approvalSignatureToRow(signature)).execute();
  }
}
