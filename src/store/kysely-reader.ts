import type { WatcherProgress } from '../core/watcher-progress.js';
import type { Kysely } from 'kysely';
import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, PrecisionRow, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { Escalation, EscalationRoute, StoredEscalationPolicy } from '../core/escalation.js';
import type { IncidentFact } from '../core/incident-facts.js';
import type { ImpactScore } from '../triage/impact-score.js';
import type { CommsReminder, IncidentUpdate } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { StatusComponent, StatusPost } from '../core/status-page.js';
import type { AuditRecord } from '../core/audit-record.js';
import { severities, type Incident, type Severity } from '../core/incident.js';
import type { IncidentFilter, StoreReader } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { StoredPerson, StoredTeamChannel } from '../core/contact.js';
import type { OutboxFilter, OutboxMessage } from '../core/outbox-message.js';
import { sql } from 'kysely';
import { firing, muted, one, openStatuses } from './sql-literals.js';
import { prepare, PreparedStatements, type PreparedQuery } from './prepared.js';
import {
  alertFromRow,
  feedbackFromRow,
  scheduleFromRow,
  impactScoreFromRow,
  incidentFactFromRow,
  escalationPolicyFromRow,
  escalationFromRow,
  suppressionFromRow,
  apiTokenFromRow,
  auditRecordFromRow,
  incidentFromRow,
  integrationFromRow,
  timelineEntryFromRow,
  personFromRow,
  teamChannelFromRow,
  outboxFromRow,
  commsReminderFromRow,
  incidentUpdateFromRow,
  roleAssignmentFromRow,
  statusComponentFromRow,
  statusPostFromRow,
  playbookFromRow,
  playbookRunFromRow,
  approverFromRow,
  approvalPolicyFromRow,
  approvalRequestFromRow,
  approvalSignatureFromRow,
} from './rows.js';
import type { PlaybookRun, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalPolicy, ApprovalRequest, ApprovalSignature, ApprovalStatus, Approver } from '../respond/approvals/approval.js';
import type { Database } from './schema.js';
import type { InhibitionRule, InhibitionSource } from '../core/inhibition-rule.js';
import type { MaintenanceWindow } from '../core/maintenance-window.js';
import type { MutedAlert } from '../core/muted-alert.js';
import type { Silence } from '../core/silence.js';
import type { MutedAlertFilter, SilenceFilter } from '../core/store.js';
import { inhibitionRuleFromRow, maintenanceWindowFromRow, mutedAlertFromRow, silenceFromRow } from './rows.js';

/** A boolean expression's value as the database returns it: SQLite says 1 or 0, PostgreSQL true or false. */
export type SqlBoolean = number | boolean;

export function isTrue(value: SqlBoolean | undefined): boolean {
  return value === true || value === 1;
}

/** The store's queries, over any Kysely connection: the pool for reads, a transaction for writes. */
// The reads every ingested alert or new incident runs, compiled once (src/store/prepared.ts).
const incidentById = prepare<{ id: string }>()((db, $) => db.selectFrom('incidents').selectAll().where('id', '=', $.id));
const alertsOfIncident = prepare<{ incidentId: string }>()((db, $) =>
  db.selectFrom('alerts').selectAll().where('incident_id', '=', $.incidentId).orderBy('first_seen_at').orderBy('id'),
);
const impactScoreOfIncident = prepare<{ incidentId: string }>()((db, $) => db.selectFrom('impact_scores').selectAll().where('incident_id', '=', $.incidentId));
const factsOfIncident = prepare<{ incidentId: string }>()((db, $) =>
  db.selectFrom('incident_facts').selectAll().where('incident_id', '=', $.incidentId).orderBy('created_at').orderBy('id'),
);
const escalationRouting = prepare()((db) => db.selectFrom('escalation_routing').select('routes').where('id', '=', sql.lit(1)));
const escalationOfIncident = prepare<{ incidentId: string }>()((db, $) => db.selectFrom('escalations').selectAll().where('incident_id', '=', $.incidentId));
const teamChannels = prepare()((db) => db.selectFrom('team_channels').selectAll().orderBy('name'));
const storedPlaybooks = prepare()((db) => db.selectFrom('playbooks').selectAll().orderBy('name'));
const playbookRunsOfIncident = prepare<{ incidentId: string }>()((db, $) =>
  db.selectFrom('playbook_runs').selectAll().where('incident_id', '=', $.incidentId).orderBy('attached_at').orderBy('id'),
);
/**
 * What may mute a service's new alert at `at`: `found`, whether something does (a silence in
 * force, a window for the service, a rule in force; the muter then checks which, if any, matches),
 * and `possible`, whether anything could at `at` or later (a silence that ends after it counts
 * too), which only a write can change.
 */
const mutingOutlookQuery = prepare<{ at: number; service: string }>()((db, $) => ({
  compile: () =>
    sql<{ found: SqlBoolean; possible: SqlBoolean }>`select (silenced_now or standing) as found, (silenced_later or standing) as possible from (select
        exists (select 1 from silences where starts_at <= ${$.at} and ends_at > ${$.at}) as silenced_now,
        exists (select 1 from silences where ends_at > ${$.at}) as silenced_later,
        (exists (select 1 from maintenance_windows where removed_at is null and service = ${$.service})
          or exists (select 1 from inhibition_rules where removed_at is null)) as standing
      ) as outlook`.compile(db),
}));

const inhibitionRuleInForce = prepare()((db) => ({
  compile: () => sql<{ found: SqlBoolean }>`select exists (select 1 from inhibition_rules where removed_at is null) as found`.compile(db),
}));
const oldestInhibitionSource = prepare<{ ruleId: string; equalKey: string; integrationId: string; dedupKey: string }>()((db, $) =>
  db
    .selectFrom('inhibition_sources')
    .selectAll()
    .where('rule_id', '=', $.ruleId)
    .where('equal_key', '=', $.equalKey)
    .where((eb) => eb.or([eb('integration_id', '!=', $.integrationId), eb('dedup_key', '!=', $.dedupKey)]))
    // An entry outlives its source only through a writer that does not keep the index (a process
    // of an older version during a rolling upgrade); such an entry must not mute anything.
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('alerts').select(sql.lit(1).as('x')).whereRef('alerts.id', '=', 'inhibition_sources.source_id').where('alerts.status', '=', firing)),
        eb.exists(eb.selectFrom('muted_alerts').select(sql.lit(1).as('x')).whereRef('muted_alerts.id', '=', 'inhibition_sources.source_id').where('muted_alerts.status', '=', muted)),
      ]),
    )
    .orderBy('kind')
    .orderBy('since')
    .orderBy('source_id')
    .limit(one),
);
const inhibitionIndexMarker = prepare()((db) => db.selectFrom('inhibition_index_built').select('built_at').limit(one));

export class KyselyReader implements StoreReader {
  protected readonly db: Kysely<Database>;
  /** The hot queries, compiled once per store (src/store/prepared.ts). */
  protected readonly prepared: PreparedStatements;

  constructor(db: Kysely<Database>, prepared: PreparedStatements = new PreparedStatements()) {
    this.db = db;
    this.prepared = prepared;
  }

  protected async first<Args, Row>(query: PreparedQuery<Args, Row>, args: Args): Promise<Row | undefined> {
    return (await this.prepared.rows(this.db, query, args))[0];
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const row = await this.first(incidentById, { id });
    return row && incidentFromRow(row);
  }

  async getIncidentByNumber(number: number): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
    return row && incidentFromRow(row);
  }

  async listIncidents(filter: IncidentFilter): Promise<Incident[]> {
    let query = this.db.selectFrom('incidents').selectAll();
    if (filter.statuses !== undefined && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    if (filter.severities !== undefined && filter.severities.length > 0) query = query.where('severity', 'in', filter.severities);
    if (filter.service !== undefined) query = query.where('service', '=', filter.service);
    if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
    if (filter.beforeNumber !== undefined) query = query.where('number', '<', filter.beforeNumber);
    const rows = await query.orderBy('number', 'desc').limit(filter.limit).execute();
    return rows.map(incidentFromRow);
  }

  async countOpenIncidentsBySeverity(): Promise<Record<Severity, number>> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', openStatuses)
      .groupBy('severity')
      .execute();
    const counts = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
    for (const row of rows) counts[row.severity as Severity] = Number(row.n);
    return counts;
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && alertFromRow(row);
  }

  async listAlertsOfIncident(incidentId: string): Promise<Alert[]> {
    const rows = await this.prepared.rows(this.db, alertsOfIncident, { incidentId });
    return rows.map(alertFromRow);
  }

  async countAlerts(): Promise<number> {
    const row = await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listTimeline(incidentId: string): Promise<TimelineEntry[]> {
    // ULIDs sort by creation, so id breaks ties between entries of the same millisecond.
    const rows = await this.db
      .selectFrom('timeline_entries')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map(timelineEntryFromRow);
  }

  async listTimelineEntriesAfter(afterId: string, limit: number): Promise<TimelineEntry[]> {
    const rows = await this.db.selectFrom('timeline_entries').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(timelineEntryFromRow);
  }

  async listAuditRecords(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(auditRecordFromRow);
  }

  async lastAuditRecord(): Promise<AuditRecord | undefined> {
    const row = await this.db.selectFrom('audit_records').selectAll().orderBy('seq', 'desc').limit(one).executeTakeFirst();
    return row && auditRecordFromRow(row);
  }

  async findApiTokenByHash(secretHash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && apiTokenFromRow(row);
  }

  async getApiToken(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && apiTokenFromRow(row);
  }

  async countApiTokens(): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findIntegrationByKeyHash(keyHash: string): Promise<Integration | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return row && integrationFromRow(row);
  }

  async getIntegration(id: string): Promise<Integration | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && integrationFromRow(row);
  }

  async listIntegrations(): Promise<Integration[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
    return rows.map(integrationFromRow);
  }

  async precision(): Promise<PrecisionRow[]> {
    const rows = await this.#latestVerdicts()
      .select(['f.detector', 'f.rule', (eb) => eb.fn.countAll<number>().as('n'), 'f.verdict'])
      .groupBy(['f.detector', 'f.rule', 'f.verdict'])
      .execute();
    const byKey = new Map<string, { detector: string; rule: string; truePositives: number; falsePositives: number }>();
    for (const row of rows) {
      const key = `${row.detector}\u0000${row.rule}`;
      const entry = byKey.get(key) ?? { detector: row.detector, rule: row.rule, truePositives: 0, falsePositives: 0 };
      if (row.verdict === 'true_positive') entry.truePositives += Number(row.n);
      else entry.falsePositives += Number(row.n);
      byKey.set(key, entry);
    }
    return [...byKey.values()].sort((a, b) => a.detector.localeCompare(b.detector) || a.rule.localeCompare(b.rule));
  }

  async verdictCounts(detector: string, entity: string): Promise<{ truePositives: number; falsePositives: number }> {
    const rows = await this.#latestVerdicts()
      .select(['f.verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .where('f.detector', '=', detector)
      .where('f.entity', '=', entity)
      .groupBy('f.verdict')
      .execute();
    const count = (verdict: string) => Number(rows.find((r) => r.verdict === verdict)?.n ?? 0);
    return { truePositives: count('true_positive'), falsePositives: count('false_positive') };
  }

  /** Each alert's newest verdict: a responder who changes their mind replaces their first answer. */
  #latestVerdicts() {
    return this.db
      .selectFrom('feedback as f')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('feedback as newer')
              .select(sql.lit(1).as('one'))
              .whereRef('newer.alert_id', '=', 'f.alert_id')
              .where((eb) => eb.or([eb('newer.at', '>', eb.ref('f.at')), eb.and([eb('newer.at', '=', eb.ref('f.at')), eb('newer.id', '>', eb.ref('f.id'))])])),
          ),
        ),
      );
  }

  async listFeedback(alertId: string): Promise<Feedback[]> {
    const rows = await this.db.selectFrom('feedback').selectAll().where('alert_id', '=', alertId).orderBy('at').orderBy('id').execute();
    return rows.map(feedbackFromRow);
  }

  async listSuppressions(options: { includeRevoked: boolean }): Promise<Suppression[]> {
    let query = this.db.selectFrom('suppressions').selectAll();
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(suppressionFromRow);
  }

  async getSuppression(id: string): Promise<Suppression | undefined> {
    const row = await this.db.selectFrom('suppressions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && suppressionFromRow(row);
  }

  async findSchedule(ref: string): Promise<StoredSchedule | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
    return row && scheduleFromRow(row);
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    const rows = await this.db.selectFrom('schedules').selectAll().orderBy('name').execute();
    return rows.map(scheduleFromRow);
  }

  // Impact scores, incident facts and escalation.

  async getImpactScore(incidentId: string): Promise<{ score: ImpactScore; updatedAt: number } | undefined> {
    const row = await this.first(impactScoreOfIncident, { incidentId });
    return row && impactScoreFromRow(row);
  }

  async listIncidentFacts(incidentId: string): Promise<IncidentFact[]> {
    const rows = await this.prepared.rows(this.db, factsOfIncident, { incidentId });
    return rows.map(incidentFactFromRow);
  }

  async findEscalationPolicy(ref: string): Promise<StoredEscalationPolicy | undefined> {
    const row = await this.db
      .selectFrom('escalation_policies')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
      .executeTakeFirst();
    return row && escalationPolicyFromRow(row);
  }

  async listEscalationPolicies(): Promise<StoredEscalationPolicy[]> {
    const rows = await this.db.selectFrom('escalation_policies').selectAll().orderBy('name').execute();
    return rows.map(escalationPolicyFromRow);
  }

  async getEscalationRoutes(): Promise<EscalationRoute[]> {
    const row = await this.first(escalationRouting, {});
    return row === undefined ? [] : (JSON.parse(row.routes) as EscalationRoute[]);
  }

  async getWatcherProgress(chain: string): Promise<WatcherProgress | undefined> {
    const row = await this.db.selectFrom('watcher_progress').selectAll().where('chain', '=', chain).executeTakeFirst();
    return row && { chain: row.chain, processed: Number(row.processed), hashes: JSON.parse(row.hashes) as WatcherProgress['hashes'] };
  }

  async getEscalation(incidentId: string): Promise<Escalation | undefined> {
    const row = await this.first(escalationOfIncident, { incidentId });
    return row && escalationFromRow(row);
  }

  // Silences, maintenance windows and inhibition.

  async getSilence(id: string): Promise<Silence | undefined> {
    const row = await this.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    return row && silenceFromRow(row);
  }

  async listSilences(filter: SilenceFilter): Promise<Silence[]> {
    let query = this.db.selectFrom('silences').selectAll();
    if (filter.state === 'pending') query = query.where('starts_at', '>', filter.at);
    if (filter.state === 'active') query = query.where('starts_at', '<=', filter.at).where('ends_at', '>', filter.at);
    if (filter.state === 'expired') query = query.where('ends_at', '<=', filter.at);
    query = query.orderBy('starts_at', 'desc').orderBy('id', 'desc');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(silenceFromRow);
  }

  async listSilencesDueForReminder(options: { now: number; leadMs: number }): Promise<Silence[]> {
    const rows = await this.db
      .selectFrom('silences')
      .selectAll()
      .where('reminder_sent_at', 'is', null)
      .where('starts_at', '<=', options.now)
      .where('ends_at', '>', options.now)
      .where('ends_at', '<=', options.now + options.leadMs)
      .orderBy('ends_at')
      .orderBy('id')
      .execute();
    return rows.map(silenceFromRow);
  }

  async getMaintenanceWindow(id: string): Promise<MaintenanceWindow | undefined> {
    const row = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    return row && maintenanceWindowFromRow(row);
  }

  async listMaintenanceWindows(options: { includeRemoved: boolean; service?: string }): Promise<MaintenanceWindow[]> {
    let query = this.db.selectFrom('maintenance_windows').selectAll();
    if (!options.includeRemoved) query = query.where('removed_at', 'is', null);
    if (options.service !== undefined) query = query.where('service', '=', options.service);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(maintenanceWindowFromRow);
  }

  async getInhibitionRule(id: string): Promise<InhibitionRule | undefined> {
    const row = await this.db.selectFrom('inhibition_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return row && inhibitionRuleFromRow(row);
  }

  async mutingInForce(options: { at: number; service: string }): Promise<boolean> {
    return (await this.mutingOutlook(options)).found;
  }

  /** Whether something mutes a service's new alert at `at`, and whether anything could then or later. */
  protected async mutingOutlook(options: { at: number; service: string }): Promise<{ found: boolean; possible: boolean }> {
    const row = await this.first(mutingOutlookQuery, { at: options.at, service: options.service });
    return { found: isTrue(row?.found), possible: isTrue(row?.possible) };
  }

  async listInhibitionRules(options: { includeRemoved: boolean }): Promise<InhibitionRule[]> {
    let query = this.db.selectFrom('inhibition_rules').selectAll();
    if (!options.includeRemoved) query = query.where('removed_at', 'is', null);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(inhibitionRuleFromRow);
  }

  async inhibitionRulesInForce(): Promise<boolean> {
    return isTrue((await this.first(inhibitionRuleInForce, {}))?.found);
  }

  async findInhibitionSource(ruleId: string, equalKey: string, exclude: { readonly integrationId: string; readonly dedupKey: string }): Promise<InhibitionSource | undefined> {
    const row = await this.first(oldestInhibitionSource, { ruleId, equalKey, integrationId: exclude.integrationId, dedupKey: exclude.dedupKey });
    return (
      row && {
        ruleId: row.rule_id,
        sourceId: row.source_id,
        kind: row.kind,
        integrationId: row.integration_id,
        dedupKey: row.dedup_key,
        equalKey: row.equal_key,
        since: Number(row.since),
      }
    );
  }

  async inhibitionIndexBuilt(): Promise<boolean> {
    return (await this.first(inhibitionIndexMarker, {})) !== undefined;
  }

  async getMutedAlert(id: string): Promise<MutedAlert | undefined> {
    const row = await this.db.selectFrom('muted_alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && mutedAlertFromRow(row);
  }

  async listMutedAlerts(filter: MutedAlertFilter): Promise<MutedAlert[]> {
    let query = this.db.selectFrom('muted_alerts').selectAll();
    if (filter.kind !== undefined) query = query.where('reason_kind', '=', filter.kind);
    if (filter.reasonId !== undefined) query = query.where('reason_id', '=', filter.reasonId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(mutedAlertFromRow);
  }

  async listFiringAlerts(): Promise<Alert[]> {
    // A literal, not a parameter, so both databases can read the firing alerts off the partial
    // index `alerts_firing_dedup` instead of scanning every alert ever received.
    const rows = await this.db.selectFrom('alerts').selectAll().where('status', '=', sql.lit('firing')).orderBy('first_seen_at').orderBy('id').execute();
    return rows.map(alertFromRow);
  }

  // --- notifications ---

  async getPerson(handle: string): Promise<StoredPerson | undefined> {
    const row = await this.db.selectFrom('people').selectAll().where('handle', '=', handle).executeTakeFirst();
    return row && personFromRow(row);
  }

  async listPeople(): Promise<StoredPerson[]> {
    const rows = await this.db.selectFrom('people').selectAll().orderBy('handle').execute();
    return rows.map(personFromRow);
  }

  async findTeamChannel(ref: string): Promise<StoredTeamChannel | undefined> {
    const row = await this.db.selectFrom('team_channels').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
    return row && teamChannelFromRow(row);
  }

  async listTeamChannels(): Promise<StoredTeamChannel[]> {
    const rows = await this.prepared.rows(this.db, teamChannels, {});
    return rows.map(teamChannelFromRow);
  }

  async getOutboxMessage(id: string): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && outboxFromRow(row);
  }

  async findOutboxMessageByKey(idempotencyKey: string): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    return row && outboxFromRow(row);
  }

  async listOutboxMessages(filter: OutboxFilter): Promise<OutboxMessage[]> {
    let query = this.db.selectFrom('outbox').selectAll();
    if (filter.states !== undefined && filter.states.length > 0) query = query.where('state', 'in', filter.states);
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(outboxFromRow);
  }

  // Incident roles, updates and the status page.

  async listRoleAssignments(incidentId: string): Promise<RoleAssignment[]> {
    const rows = await this.db.selectFrom('role_assignments').selectAll().where('incident_id', '=', incidentId).orderBy('assigned_at').orderBy('id').execute();
    return rows.map(roleAssignmentFromRow);
  }

  async listIncidentUpdates(incidentId: string): Promise<IncidentUpdate[]> {
    const rows = await this.db.selectFrom('incident_updates').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
    return rows.map(incidentUpdateFromRow);
  }

  async getCommsReminder(incidentId: string): Promise<CommsReminder | undefined> {
    const row = await this.db.selectFrom('comms_reminders').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    return row && commsReminderFromRow(row);
  }

  async listStatusComponents(service?: string): Promise<StatusComponent[]> {
    let query = this.db.selectFrom('status_components').selectAll();
    if (service !== undefined) query = query.where('service', '=', service);
    const rows = await query.orderBy('service').orderBy('position').orderBy('name').execute();
    return rows.map(statusComponentFromRow);
  }

  async getStatusComponent(id: string): Promise<StatusComponent | undefined> {
    const row = await this.db.selectFrom('status_components').selectAll().where('id', '=', id).executeTakeFirst();
    return row && statusComponentFromRow(row);
  }

  async listStatusPostsOfIncident(incidentId: string): Promise<StatusPost[]> {
    const rows = await this.db.selectFrom('status_posts').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
    return rows.map(statusPostFromRow);
  }

  async listStatusPostsOfService(service: string, since: number): Promise<StatusPost[]> {
    const rows = await this.db
      .selectFrom('status_posts')
      .selectAll()
      .where('service', '=', service)
      .where('incident_id', 'in', (eb) =>
        eb
          .selectFrom('status_posts as p')
          .select('p.incident_id')
          .where('p.service', '=', service)
          .where((eb) =>
            eb.or([
              eb('p.at', '>=', since),
              // An incident still open on the page shows however old its last post is.
              eb.and([
                eb('p.state', '!=', 'resolved'),
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('status_posts as newer')
                      .select(sql.lit(1).as('one'))
                      .whereRef('newer.incident_id', '=', 'p.incident_id')
                      .where((eb) => eb.or([eb('newer.at', '>', eb.ref('p.at')), eb.and([eb('newer.at', '=', eb.ref('p.at')), eb('newer.id', '>', eb.ref('p.id'))])])),
                  ),
                ),
              ]),
            ]),
          ),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map(statusPostFromRow);
  }

  // Playbooks and approvals (issue 4, parts 7 and 8).

  async listPlaybooks(): Promise<StoredPlaybook[]> {
    const rows = await this.prepared.rows(this.db, storedPlaybooks, {});
    return rows.map(playbookFromRow);
  }

  async getPlaybook(name: string): Promise<StoredPlaybook | undefined> {
    const row = await this.db.selectFrom('playbooks').selectAll().where('name', '=', name).executeTakeFirst();
    return row && playbookFromRow(row);
  }

  async listPlaybookRuns(incidentId: string): Promise<PlaybookRun[]> {
    const rows = await this.prepared.rows(this.db, playbookRunsOfIncident, { incidentId });
    return rows.map(playbookRunFromRow);
  }

  async getPlaybookRun(id: string): Promise<PlaybookRun | undefined> {
    const row = await this.db.selectFrom('playbook_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && playbookRunFromRow(row);
  }

  async getApprover(handle: string): Promise<Approver | undefined> {
    const row = await this.db.selectFrom('approvers').selectAll().where('handle', '=', handle).where('revoked_at', 'is', null).executeTakeFirst();
    return row && approverFromRow(row);
  }

  async findApproverKey(fingerprint: string): Promise<Approver | undefined> {
    const row = await this.db.selectFrom('approvers').selectAll().where('fingerprint', '=', fingerprint).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row && approverFromRow(row);
  }

  async listApprovers(options: { includeRevoked: boolean }): Promise<Approver[]> {
    let query = this.db.selectFrom('approvers').selectAll();
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('handle').orderBy('created_at').orderBy('id').execute();
    return rows.map(approverFromRow);
  }

  async getApprovalPolicy(action: string): Promise<ApprovalPolicy | undefined> {
    const row = await this.db.selectFrom('approval_policies').selectAll().where('action', '=', action).executeTakeFirst();
    return row && approvalPolicyFromRow(row);
  }

  async listApprovalPolicies(): Promise<ApprovalPolicy[]> {
    const rows = await this.db.selectFrom('approval_policies').selectAll().orderBy('action').execute();
    return rows.map(approvalPolicyFromRow);
  }

  async getApprovalRequest(id: string): Promise<ApprovalRequest | undefined> {
    const row = await this.db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row && approvalRequestFromRow(row);
  }

  async listApprovalRequests(filter: { incidentId?: string; action?: string; statuses?: readonly ApprovalStatus[]; limit: number }): Promise<ApprovalRequest[]> {
    let query = this.db.selectFrom('approval_requests').selectAll();
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.statuses !== undefined && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(approvalRequestFromRow);
  }

  async listApprovalSignatures(requestId: string): Promise<ApprovalSignature[]> {
    const rows = await this.db.selectFrom('approval_signatures').selectAll().where('request_id', '=', requestId).orderBy('at').orderBy('id').execute();
    return rows.map(approvalSignatureFromRow);
  }

  // Timers and the outbox: what is due. Reads, so a worker can look before it takes the write lock.

  async listDueEscalations(now: number, limit: number): Promise<Escalation[]> {
    const rows = await this.db
      .selectFrom('escalations')
      .selectAll()
      .where('status', '=', 'active')
      .where('next_at', '<=', now)
      .orderBy('next_at')
      .orderBy('incident_id')
      .limit(limit)
      .execute();
    return rows.map(escalationFromRow);
  }

  async listDueOutboxMessages(now: number, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'delivering'), eb('lease_until', '<=', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  }
}
