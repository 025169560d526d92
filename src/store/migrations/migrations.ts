import { sql, type Kysely } from 'kysely';

/** One schema change. Versions only grow; a released migration is never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    async up(db) {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'integer', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addColumn('reopened_at', 'bigint')
        .addColumn('last_alert_at', 'bigint', (c) => c.notNull())
        .addColumn('alert_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incidents_group').on('incidents').columns(['service', 'group_key', 'status']).execute();
      await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'severity']).execute();
      await db.schema.createIndex('incidents_created').on('incidents').column('created_at').execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('links', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
      // At most one firing alert per dedup key and integration: the database itself refuses a
      // duplicate, whatever the application does.
      await db.schema
        .createIndex('alerts_firing_dedup')
        .on('alerts')
        .columns(['integration_id', 'dedup_key'])
        .unique()
        .where(sql.ref('status'), '=', 'firing')
        .execute();
      await db.schema.createIndex('alerts_dedup').on('alerts').columns(['integration_id', 'dedup_key', 'first_seen_at']).execute();
      await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'status']).execute();

      await db.schema
        .createTable('timeline_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('timeline_incident').on('timeline_entries').columns(['incident_id', 'at']).execute();

      await db.schema
        .createTable('audit_records')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();

      await db.schema
        .createTable('integrations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
    },
  },
  {
    version: 2,
    name: 'analyst feedback',
    async up(db) {
      await db.schema
        .createTable('feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
        .addColumn('detector', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('entity', 'text')
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('feedback_detector').on('feedback').columns(['detector', 'entity']).execute();
      await db.schema.createIndex('feedback_alert').on('feedback').columns(['alert_id', 'at']).execute();
      await db.schema
        .createTable('suppressions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('detector', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('revoked_by', 'text')
        .execute();
      // One live suppression per detector and entity.
      await db.schema
        .createIndex('suppressions_live')
        .on('suppressions')
        .columns(['detector', 'entity'])
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();
    },
  },
  {
    version: 3,
    name: 'on-call schedules',
    async up(db) {
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 8,
    name: 'impact scores, incident facts, escalation',
    async up(db) {
      await db.schema
        .createTable('impact_scores')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
        .addColumn('score', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('incident_facts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_facts_key').on('incident_facts').columns(['incident_id', 'kind', 'key']).unique().execute();
      await db.schema
        .createTable('escalation_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // One row: the ordered routing rules, replaced whole.
      await db.schema
        .createTable('escalation_routing')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('routes', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('escalations')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('policy_name', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('next_at', 'bigint')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      // The timer query: active escalations by when they fire.
      await db.schema.createIndex('escalations_due').on('escalations').columns(['status', 'next_at']).execute();
    },
  },
  {
    version: 5,
    name: 'silences, maintenance windows and inhibition',
    async up(db) {
      await db.schema
        .createTable('silences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expired_by', 'text')
        .addColumn('reminder_sent_at', 'bigint')
        .execute();
      await db.schema.createIndex('silences_ends').on('silences').columns(['ends_at', 'starts_at']).execute();

      await db.schema
        .createTable('maintenance_windows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'bigint', (c) => c.notNull())
        .addColumn('rrule', 'text')
        .addColumn('time_zone', 'text')
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('removed_at', 'bigint')
        .addColumn('removed_by', 'text')
        .execute();
      await db.schema.createIndex('maintenance_windows_service').on('maintenance_windows').columns(['service', 'removed_at']).execute();

      await db.schema
        .createTable('inhibition_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source_matchers', 'text', (c) => c.notNull())
        .addColumn('target_matchers', 'text', (c) => c.notNull())
        .addColumn('equal_labels', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('removed_at', 'bigint')
        .addColumn('removed_by', 'text')
        .execute();

      // Muted alerts live apart from `alerts`, whose rows always belong to an incident.
      await db.schema
        .createTable('muted_alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('links', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('reason_kind', 'text', (c) => c.notNull())
        .addColumn('reason_id', 'text', (c) => c.notNull())
        .addColumn('inhibitor_alert_id', 'text')
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
      // One muted row per firing alert: repeats update it instead of piling up.
      await db.schema
        .createIndex('muted_alerts_live')
        .on('muted_alerts')
        .columns(['integration_id', 'dedup_key'])
        .unique()
        .where(sql.ref('status'), '=', 'muted')
        .execute();
      await db.schema.createIndex('muted_alerts_reason').on('muted_alerts').columns(['reason_kind', 'reason_id']).execute();
      await db.schema.createIndex('muted_alerts_status').on('muted_alerts').columns(['status', 'last_seen_at']).execute();
    },
  },
  {
    version: 4,
    name: 'notifications',
    async up(db) {
      await db.schema
        .createTable('people')
        .addColumn('handle', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('methods', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('team_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sealed_config', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('severities', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        // A retried cause (same escalation step, same status change) never enqueues twice.
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('cancel_if_acknowledged', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_lease').on('outbox').columns(['state', 'lease_until']).execute();
      await db.schema.createIndex('outbox_incident').on('outbox').columns(['incident_id', 'created_at']).execute();
    },
  },
  {
    version: 7,
    name: 'incident roles, updates, status page',
    async up(db) {
      await db.schema
        .createTable('role_assignments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'bigint', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addColumn('released_at', 'bigint')
        .addColumn('released_by', 'text')
        .execute();
      await db.schema.createIndex('role_assignments_incident').on('role_assignments').columns(['incident_id', 'assigned_at']).execute();
      // One current holder per person and role; single-holder roles are kept single by the service.
      await db.schema
        .createIndex('role_assignments_current')
        .on('role_assignments')
        .columns(['incident_id', 'role', 'person'])
        .unique()
        .where(sql.ref('released_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('incident_updates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_updates_incident').on('incident_updates').columns(['incident_id', 'at']).execute();

      await db.schema
        .createTable('comms_reminders')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
        .addColumn('since_at', 'bigint', (c) => c.notNull())
        .addColumn('period', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('status_components')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_components_name').on('status_components').columns(['service', 'name']).unique().execute();

      await db.schema
        .createTable('status_posts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('components', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_posts_service').on('status_posts').columns(['service', 'at']).execute();
      await db.schema.createIndex('status_posts_incident').on('status_posts').columns(['incident_id', 'at']).execute();

      // A token may be issued to a person, so the API knows who is calling, not only what may be done.
      await db.schema.alterTable('api_tokens').addColumn('person', 'text').execute();
    },
  },
  {
    version: 6,
    name: 'playbooks and approvals',
    async up(db) {
      await db.schema
        .createTable('playbooks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('source_text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('playbook_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('playbook_name', 'text', (c) => c.notNull())
        .addColumn('playbook', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('matched', 'text')
        .addColumn('attached_by', 'text', (c) => c.notNull())
        .addColumn('attached_at', 'bigint', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Once per playbook per incident, whoever attaches it and however many alerts join.
      await db.schema.createIndex('playbook_runs_once').on('playbook_runs').columns(['incident_id', 'playbook_name']).unique().execute();
      await db.schema
        .createTable('approvers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('handle', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('approvers_live').on('approvers').column('handle').unique().where(sql.ref('revoked_at'), 'is', null).execute();
      await db.schema.createIndex('approvers_fingerprint').on('approvers').column('fingerprint').execute();
      await db.schema
        .createTable('approval_policies')
        .addColumn('action', 'text', (c) => c.primaryKey())
        .addColumn('m', 'integer', (c) => c.notNull())
        .addColumn('approvers', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('approval_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('requester', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('m', 'integer', (c) => c.notNull())
        .addColumn('approvers', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('executed_at', 'bigint')
        .addColumn('executed_by', 'text')
        .addColumn('output', 'text')
        .execute();
      await db.schema.createIndex('approval_requests_incident').on('approval_requests').columns(['incident_id', 'action', 'status']).execute();
      await db.schema
        .createTable('approval_signatures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('approval_requests.id'))
        .addColumn('approver', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('key_fingerprint', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_signatures_once').on('approval_signatures').columns(['request_id', 'approver']).unique().execute();
    },
  },
  {
    version: 9,
    name: 'notices: outbox messages about no incident',
    async up(db) {
      // Silence reminders and other notices go through the outbox but belong to no incident.
      // PostgreSQL drops the constraint in place; SQLite cannot, so the table is rebuilt (nothing
      // references it). `version()` exists only on PostgreSQL, and a failed statement on SQLite
      // does not abort the transaction, so it tells the two apart without harm.
      const postgres = await sql`select version() as v`.execute(db).then(
        () => true,
        () => false,
      );
      if (postgres) {
        await sql`alter table outbox alter column incident_id drop not null`.execute(db);
        return;
      }
      await db.schema
        .createTable('outbox_v9')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('cancel_if_acknowledged', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .execute();
      await sql`insert into outbox_v9 select id, incident_id, recipient, kind, reason, payload, idempotency_key, state, attempts, next_attempt_at, lease_until, cancel_if_acknowledged, last_error, last_status, created_at, updated_at, delivered_at from outbox`.execute(db);
      await db.schema.dropTable('outbox').execute();
      await sql`alter table outbox_v9 rename to outbox`.execute(db);
      await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_lease').on('outbox').columns(['state', 'lease_until']).execute();
      await db.schema.createIndex('outbox_incident').on('outbox').columns(['incident_id', 'created_at']).execute();
    },
  },
  {
    version: 10,
    name: 'open incidents by group',
    async up(db) {
      // Finding the open incident of a group (every new alert does) sorted its candidates by
      // number in a temporary b-tree; this index hands them over in order, only the open ones.
      await sql`create index incidents_open_group on incidents (service, group_key, number) where status in ('triggered', 'acknowledged')`.execute(db);
    },
  },
  {
    version: 11,
    name: 'watcher progress',
    async up(db) {
      await db.schema
        .createTable('watcher_progress')
        .addColumn('chain', 'text', (c) => c.primaryKey())
        .addColumn('processed', 'bigint', (c) => c.notNull())
        .addColumn('hashes', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 12,
    name: 'inhibition sources',
    async up(db) {
      // Which firing alerts can inhibit under which rule, by the values of the rule's `equal`
      // labels (correlate/inhibition.ts). `kind`: 'alert' (firing in an incident) or 'muted'.
      await db.schema
        .createTable('inhibition_sources')
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('integration_id', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('equal_key', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inhibition_sources_pk', ['rule_id', 'source_id'])
        .execute();
      await db.schema.createIndex('inhibition_sources_lookup').on('inhibition_sources').columns(['rule_id', 'equal_key', 'kind', 'since']).execute();
      await db.schema.createIndex('inhibition_sources_source').on('inhibition_sources').columns(['source_id']).execute();
      // One row once the index has been built from the rules and alerts of before it existed;
      // until then every process that opens the store builds it (app.ts).
      await db.schema.createTable('inhibition_index_built').addColumn('built_at', 'bigint', (c) => c.notNull()).execute();
    },
  },
];
