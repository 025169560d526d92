import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import { createApiToken, createIntegration, type CredentialDeps } from './access/credentials.js';
import { sqlitePath, type VigilConfig } from './config.js';
import type { Integration, IntegrationKind, Role } from './core/access.js';
import { systemActor, type Actor } from './core/actor.js';
import type { AlertEvent } from './core/alert.js';
import { systemClock, type Clock } from './core/clock.js';
import { createIds, type Ids } from './core/ids.js';
import { notifyObservers, type IncidentChange, type IncidentObserver } from './core/incident-observer.js';
import type { StoreTx } from './core/store.js';
import { IncidentFacts } from './respond/facts/incident-facts-service.js';
import type { Pager } from './core/pager.js';
import { silenceReminder } from './respond/notify/silence-reminder.js';
import { EscalationEngine } from './respond/escalation/escalation-engine.js';
import { EscalationService } from './respond/escalation/escalation-service.js';
import { ImpactTriage } from './triage/impact-triage.js';
import { defaultTriageConfig, triageConfigSchema, type TriageConfig } from './triage/triage-config.js';
import type { Store } from './core/store.js';
import { Correlator, type EventResult } from './correlate/correlator.js';
import { createDetectors } from './detect/detect-config.js';
import { DetectionEngine, type TransactionDetector } from './detect/detection-engine.js';
import { DetectionThread } from './detect/thread/detection-thread.js';
import { InProcessDetection, type TransactionDetection } from './detect/transaction-detection.js';
import { VigilError, validationFailed } from './core/errors.js';
import { FeedbackService, SuppressionFilter } from './detect/feedback.js';
import type { Feedback, Suppression, Verdict } from './core/feedback.js';
import { Recorder } from './record/recorder.js';
import { IncidentActions } from './respond/incident-actions.js';
import { ScheduleService } from './respond/schedules/schedule-service.js';
import { Workers } from './respond/workers.js';
import { NotificationService } from './respond/notify/notification-service.js';
import { OutboxDispatcher, type AttemptOutcome } from './respond/notify/outbox-dispatcher.js';
import { ChannelNotifier } from './notify/channel-notifier.js';
import { AesSecretBox, LazySecretBox, keyFromBase64, keyFromFile } from './notify/aes-secret-box.js';
import type { ContactKind } from './core/contact.js';
import type { Notifier } from './core/notifier.js';
import { randomBytes } from 'node:crypto';
import { SlackChatOps } from './respond/chatops/slack-chatops.js';
import { StatusComponentService } from './respond/comms/status-components.js';
import { StatusPublisher } from './respond/comms/status-publisher.js';
import { UpdateService } from './respond/comms/update-service.js';
import { updateReminderWorker, type OnUpdateDue } from './respond/comms/update-reminders.js';
import { RoleService } from './respond/roles/role-service.js';
import { PlaybookCatalog } from './respond/playbooks/playbook-catalog.js';
import { parsePlaybookYaml } from './respond/playbooks/playbook-schema.js';
import { PlaybookService } from './respond/playbooks/playbook-service.js';
import { ApprovalService } from './respond/approvals/approval-service.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import { AlertMuter } from './correlate/alert-muter.js';
import { InhibitionRuleService } from './correlate/inhibition.js';
import { InhibitionSources } from './correlate/inhibition-sources.js';
import { MaintenanceWindowService } from './correlate/maintenance-windows.js';
import { SilenceService, silenceReminderWorker, type SilenceExpiringCallback } from './correlate/silences.js';
import type { ChainClient } from './core/chain-client.js';
import { ChainWatchers, type WatchedChainStatus } from './watch/chain-watchers.js';
import { ViemChainClient } from './watch/evm/viem-chain-client.js';
import { watchConfigSchema, type ChainWatchConfig, type WatchConfig } from './watch/watch-config.js';

/**
 * The composition root: the only place where adapters are chosen and constructed. Everything
 * else receives its collaborators from here.
 */
export interface Vigil {
  readonly config: VigilConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly actions: IncidentActions;
  readonly schedules: ScheduleService;
  /**
   * The detectors that watch transactions posted to `/api/v1/transactions` and the watchers'
   * chains; state in memory. In a worker thread of its own unless the detectors were given as
   * objects (`VigilOverrides.detectors`) or `detectionThread` is off.
   */
  readonly detection: TransactionDetection;
  /** Keeps impact scores current; `triage.inputs` and `rescore` for the API. */
  readonly triage: ImpactTriage;
  /** Transactions, addresses, funds movements, attackers and impact figures of incidents. */
  readonly facts: IncidentFacts;
  /** Escalation policies and the routing rules that choose them. */
  readonly escalations: EscalationService;
  /** Background work (outbox, escalation timers, reminders); `vigil serve` starts it. */
  readonly workers: Workers;
  /** Silences, maintenance windows and inhibition rules: what mutes alerts before they page. */
  readonly silences: SilenceService;
  readonly maintenanceWindows: MaintenanceWindowService;
  readonly inhibitionRules: InhibitionRuleService;
  /**
   * Builds the inhibition index anew from the rules in force and the firing alerts. `vigil serve`
   * and `vigil watch` do it at start (through `refreshInhibitionIndex`); from then on every change
   * keeps it current.
   */
  rebuildInhibitionIndex(): Promise<void>;
  /**
   * What `vigil serve` and `vigil watch` call at start: rebuilds the inhibition index, unless this
   * process built it when it opened the store (a database from before the index), so an upgrade
   * builds it once, not twice.
   */
  refreshInhibitionIndex(): Promise<void>;
  /** People, team channels and the notification outbox (`notifyPerson`, `notifyChannel`). */
  readonly notifications: NotificationService;
  /** Listens to every delivery attempt's outcome (the HTTP app counts them for Prometheus). */
  onNotificationAttempt(listener: (kind: ContactKind, outcome: AttemptOutcome) => void): void;
  // Incident roles, communications and chat-ops.
  /** Assigns, hands over and releases incident roles. */
  readonly roles: RoleService;
  /** Internal and stakeholder updates. */
  readonly updates: UpdateService;
  /** The components of the public status pages (admins). */
  readonly statusComponents: StatusComponentService;
  /** Public status posts, published by an incident's communications lead only. */
  readonly statusPublisher: StatusPublisher;
  /** `/vigil` slash commands from Slack, once the request is verified. */
  readonly chatops: SlackChatOps;
  /** Playbooks: the catalogue, attaching runs to incidents (also automatically), completing steps. */
  readonly playbooks: PlaybookService;
  /** M-of-N approvals of dangerous actions, signed with approvers' Ed25519 keys. */
  readonly approvals: ApprovalService;
  // Chain watchers.
  /**
   * Starts watching the configured chains: their transactions go through `detection` and their
   * node health becomes alerts, each chain under its own `transactions` integration (found or
   * created, named `watcher <chain>`). `close()` stops them first.
   */
  watch(config: WatchConfig, options?: { readonly autoStart?: boolean; readonly onError?: (chain: string, error: unknown, retrying?: boolean) => void }): Promise<ChainWatchers>;
  /** The status of every running chain watcher started by `watch` (for `/metrics`). */
  watcherStatus(): WatchedChainStatus[];
  /** Records a responder's verdict on an alert; may suppress or lift a suppression. */
  label(request: { alertId: string; verdict: Verdict; note?: string; actor: Actor }): Promise<{ feedback: Feedback; suppression: Suppression | null; lifted: Suppression | null }>;
  revokeSuppression(request: { suppressionId: string; actor: Actor; reason?: string }): Promise<Suppression>;
  /** Applies one sender payload's events atomically; resolves after the commit. */
  ingest(integration: Integration, events: readonly AlertEvent[]): Promise<EventResult[]>;
  /** `person`: the handle of the person the token is issued to, for actions only they may take. */
  createApiToken(request: { role: Role; name: string; person?: string; actor: Actor }): Promise<{ id: string; secret: string }>;
  createIntegration(request: { kind: IntegrationKind; service: string; name?: string; actor: Actor }): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

export interface VigilOverrides {
  readonly clock?: Clock;
  readonly ids?: Ids;
  /** Use this store instead of opening one from the config (tests). */
  readonly store?: Store;
  /** Use these detectors instead of the configured ones (on the main thread: objects cannot go to another). */
  readonly detectors?: readonly TransactionDetector[];
  /** The detect config, already read and checked by `loadDetectConfig`, instead of reading `detectConfigPath` again. */
  readonly detectConfig?: unknown;
  /** Pages people and channels for escalation. */
  readonly pager?: Pager;
  /** Extra incident observers, told after the built-in ones (tests). */
  readonly observers?: readonly IncidentObserver[];
  /**
   * Told, in the reminder worker's write unit, that a silence ends within
   * `silenceReminderLeadMs`; default: nothing beyond the `silence.expiring` audit record.
   */
  readonly onSilenceExpiring?: SilenceExpiringCallback;
  /** The randomness of retry jitter, in [0, 1) (tests make it deterministic). */
  readonly random?: () => number;
  /** Deliver notifications through this instead of the real channel adapters. */
  readonly notifier?: Notifier;
  /** Told when stakeholders are owed an update (tests; the default notifies nobody beyond the timeline). */
  readonly onUpdateDue?: OnUpdateDue;
  /** Watch chains through these clients instead of viem over JSON-RPC (tests). */
  readonly chainClient?: (url: string) => ChainClient;
}

export async function openStore(config: VigilConfig, clock: Clock = systemClock): Promise<Store> {
  return config.databaseUrl === undefined
    ? openSqliteStore({ path: sqlitePath(config), synchronous: config.sqliteSynchronous, now: () => clock.now() })
    : openPostgresStore({ url: config.databaseUrl, now: () => clock.now() });
}

/**
 * Reads a JSON config file and parses it; a bad file fails here, at start, with the field that is
 * wrong, not in the middle of a stream.
 */
async function loadJsonConfig<T>(path: string, what: string, parse: (json: unknown) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read the ${what} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new VigilError('VALIDATION_FAILED', `the ${what} ${path} is not JSON: ${error.message}`, { cause: error });
    if (error instanceof ZodError) throw validationFailed(`the ${what} ${path}`, error.issues, error);
    throw error;
  }
}

/** The detectors of a detect config file (JSON), or the defaults without one. */
export async function loadDetectors(path: string | undefined): Promise<TransactionDetector[]> {
  return path === undefined ? createDetectors({}) : loadJsonConfig(path, 'detect config', createDetectors);
}

/**
 * A detect config file's JSON, checked by building its detectors once (a bad file fails here,
 * naming the field or the rule's column), or `{}` without one: what the detection thread is given.
 */
export async function loadDetectConfig(path: string | undefined): Promise<unknown> {
  if (path === undefined) return {};
  return loadJsonConfig(path, 'detect config', (json) => {
    createDetectors(json);
    return json;
  });
}

/** The detectors to run on the main thread: from the config already read, or from the file. */
function inProcessDetectors(config: VigilConfig, overrides: VigilOverrides): Promise<TransactionDetector[]> {
  return overrides.detectConfig === undefined ? loadDetectors(config.detectConfigPath) : Promise.resolve(createDetectors(overrides.detectConfig));
}

/** The chains of a watch config file (JSON); a bad file fails here, naming the field. */
export async function loadWatchConfig(path: string): Promise<WatchConfig> {
  return loadJsonConfig(path, 'watch config', (json) => watchConfigSchema.parse(json));
}

/** The impact matrix and service tiers of a triage config file (JSON), or the defaults without one. */
export async function loadTriageConfig(path: string | undefined): Promise<TriageConfig> {
  return path === undefined ? defaultTriageConfig : loadJsonConfig(path, 'impact config', (json) => triageConfigSchema.parse(json));
}

/** The playbooks shipped with Vigil, one YAML file each. */
export const builtinPlaybookDir = fileURLToPath(new URL('../playbooks/', import.meta.url));

/**
 * Reads every `.yaml`, `.yml` and `.json` file of `dir` into the catalogue. A bad file fails
 * here, at start, naming the file, the path in it and the line.
 */
export async function loadPlaybookDir(catalog: PlaybookCatalog, dir: string, source: 'builtin' | 'directory'): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read the playbook directory ${dir}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  for (const name of names) {
    const path = join(dir, name);
    const sourceText = await readFile(path, 'utf8');
    catalog.addFile({ playbook: parsePlaybookYaml(sourceText, `the playbook ${path}`), source, sourceText });
  }
  return names.length;
}

export async function createVigil(config: VigilConfig, overrides: VigilOverrides = {}): Promise<Vigil> {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? createIds();
  const store = overrides.store ?? (await openStore(config, clock));
  const recorder = new Recorder({ clock, ids });
  // Each respond part that reacts to incident changes adds itself here; all run in the writer's unit.
  const observers: IncidentObserver[] = [];
  const tell = async (tx: StoreTx, change: IncidentChange): Promise<void> => void (await notifyObservers(observers, tx, change));
  const triageConfig = await loadTriageConfig(config.impactConfigPath);
  const triage = new ImpactTriage({ clock, recorder, config: triageConfig });
  // First, so the others see the severity the impact score asks for.
  observers.push(triage);
  const facts = new IncidentFacts({ clock, ids, recorder, flags: Object.keys(triageConfig.matrix.flags), tell });
  const escalations = new EscalationService({ clock, ids, recorder });
  // Notifications: secrets sealed with VIGIL_SECRET_KEY or the data dir's key file, loaded on first use.
  const secretKey = config.secretKey;
  const box =
    secretKey !== undefined
      ? new AesSecretBox(keyFromBase64(secretKey))
      : new LazySecretBox(() => (config.dataDir === ':memory:' ? randomBytes(32) : keyFromFile(config.dataDir)));
  const notifications = new NotificationService({ clock, ids, recorder, box });
  const attemptListeners: ((kind: ContactKind, outcome: AttemptOutcome) => void)[] = [];
  // Escalation pages through the outbox; after it, the team channels hear of the change.
  const escalationEngine = new EscalationEngine({ clock, recorder, pager: overrides.pager ?? notifications });
  observers.push(escalationEngine, notifications);
  const inhibitionSources = new InhibitionSources();
  const rebuildInhibitionIndex = () => store.write((tx) => inhibitionSources.rebuild(tx, clock.now()));
  // A database from before the inhibition index has rules and firing alerts it does not know of:
  // the first process to open it builds it, whatever command that process runs.
  let builtAtOpen = false;
  if (!(await store.read.inhibitionIndexBuilt())) {
    await rebuildInhibitionIndex();
    builtAtOpen = true;
  }
  const refreshInhibitionIndex = async () => {
    if (builtAtOpen) builtAtOpen = false;
    else await rebuildInhibitionIndex();
  };
  const muter = new AlertMuter({ ids, recorder, sources: inhibitionSources });
  const correlator = new Correlator({ clock, ids, recorder, groupWindowMs: config.groupWindowMs, autoResolve: config.autoResolve, observers, muter });
  const actions = new IncidentActions({ clock, recorder, observers, alerts: muter });
  const credentialDeps: CredentialDeps = { clock, ids, recorder };

  const suppressions = new SuppressionFilter();
  await suppressions.refresh(store.read);
  const detection: TransactionDetection =
    overrides.detectors === undefined && config.detectionThread
      ? new DetectionThread({
          config: overrides.detectConfig ?? (await loadDetectConfig(config.detectConfigPath)),
          filter: suppressions,
          onError: (error) => process.emitWarning(`vigil detection thread failed, its detectors start over: ${error.message}`),
          ...(config.detectionMaxHeapMb === undefined ? {} : { maxHeapMb: config.detectionMaxHeapMb }),
        })
      : new InProcessDetection(new DetectionEngine({ detectors: overrides.detectors ?? (await inProcessDetectors(config, overrides)), filter: suppressions }));
  const feedback = new FeedbackService({ clock, ids, recorder, suppressAfterFalsePositives: config.suppressAfterFalsePositives });


  const catalog = new PlaybookCatalog();
  await loadPlaybookDir(catalog, builtinPlaybookDir, 'builtin');
  if (config.playbookDir !== undefined) await loadPlaybookDir(catalog, config.playbookDir, 'directory');
  const playbooks = new PlaybookService({ clock, ids, recorder, catalog });
  observers.push(playbooks);

  observers.push(...(overrides.observers ?? []));
  const workers = new Workers({
    intervalMs: config.workerIntervalMs,
    onError: (worker, error) => process.emitWarning(`vigil worker ${worker} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  workers.add(escalationEngine.worker(store));
  workers.add(
    silenceReminderWorker({ store, clock, recorder, leadMs: config.silenceReminderLeadMs, onSilenceExpiring: overrides.onSilenceExpiring ?? silenceReminder({ notifications, now: () => clock.now() }) }),
  );

  // Incident roles, communications and chat-ops. The stakeholder-update reminder is on the
  // timeline, and pages the communications lead.
  const roles = new RoleService({ clock, ids, recorder });
  workers.add(
    updateReminderWorker({
      store,
      clock,
      recorder,
      cadence: config.updateCadence,
      // Whoever holds communications lead (or, without one, incident commander) is paged by their contact rules.
      onUpdateDue:
        overrides.onUpdateDue ??
        (async (tx, incident, holder) => {
          if (holder === undefined) return;
          await notifications.notifyPerson(tx, { handle: holder, incident, reason: 'stakeholder update due', idempotencyKey: `comms-due:${incident.id}:${clock.now()}`, actor: systemActor });
        }),
    }),
  );
  // Last, so that what the workers above enqueued goes out in the same round.
  workers.add(
    new OutboxDispatcher({
      store,
      clock,
      recorder,
      notifier: overrides.notifier ?? new ChannelNotifier({ timeoutMs: config.notify.timeoutMs, clock, smtp: config.smtp }),
      service: notifications,
      policy: { baseMs: config.notify.backoffBaseMs, factor: config.notify.backoffFactor, capMs: config.notify.backoffCapMs, maxAttempts: config.notify.maxAttempts },
      random: overrides.random ?? Math.random,
      leaseMs: config.notify.leaseMs,
      batchSize: 50,
      publicUrl: config.publicUrl,
      onAttempt: (kind, outcome) => attemptListeners.forEach((listener) => listener(kind, outcome)),
    }),
  );
  const chatops = new SlackChatOps({ store, clock, actions, roles, users: config.slackUsers });

  const ingestEvents = async (integration: Integration, events: readonly AlertEvent[]): Promise<EventResult[]> => {
    const results = await store.write(async (tx) => {
      const results: EventResult[] = [];
      for (const event of events) results.push(await correlator.apply(tx, integration, event));
      return results;
    });
    // A new incident pages, a status change posts to the team channels: do not wait for the next
    // round. Alerts joining an incident rarely enqueue anything; they wait for the round.
    if (results.some((r) => r.outcome === 'opened' || r.outcome === 'resolved' || r.outcome === 'acknowledged')) workers.kick();
    return results;
  };

  // Chain watchers: each chain's findings and health alerts belong to its own integration.
  const watchers: ChainWatchers[] = [];
  const watcherIntegration = (chain: ChainWatchConfig): Promise<Integration> =>
    store.write(async (tx) => {
      const name = `watcher ${chain.name}`;
      const existing = (await tx.listIntegrations()).find((i) => i.kind === 'transactions' && i.service === chain.service && i.name === name && i.revokedAt === null);
      if (existing !== undefined) return existing;
      // Its key is never shown: the watcher runs inside Vigil and needs none.
      return (await createIntegration(tx, { kind: 'transactions', service: chain.service, name, actor: systemActor }, credentialDeps)).integration;
    });

  return {
    config,
    store,
    clock,
    ids,
    actions,
    schedules: new ScheduleService({ clock, ids, recorder }),
    detection,
    workers,
    triage,
    facts,
    escalations,
    silences: new SilenceService({ clock, ids, recorder }),
    maintenanceWindows: new MaintenanceWindowService({ clock, ids, recorder }),
    inhibitionRules: new InhibitionRuleService({ clock, ids, recorder, sources: inhibitionSources }),
    rebuildInhibitionIndex,
    refreshInhibitionIndex,
    notifications,
    onNotificationAttempt: (listener) => {
      attemptListeners.push(listener);
    },
    roles,
    updates: new UpdateService({ clock, ids, recorder }),
    statusComponents: new StatusComponentService({ clock, ids, recorder }),
    statusPublisher: new StatusPublisher({ clock, ids, recorder }),
    chatops,
    playbooks,
    approvals: new ApprovalService({ clock, ids, recorder }),
    watch: async (watchConfig, options = {}) => {
      const running = await ChainWatchers.start({
        config: watchConfig,
        clock,
        detection,
        ingest: ingestEvents,
        integrationFor: watcherIntegration,
        clientFor: overrides.chainClient ?? ((url) => new ViemChainClient({ url })),
        onError:
          options.onError ??
          ((chain, error, retrying) =>
            process.emitWarning(`vigil watcher ${chain}: ${error instanceof Error ? error.message : String(error)}${retrying === true ? ' (trying again)' : ''}`)),
        ...(options.autoStart === undefined ? {} : { autoStart: options.autoStart }),
        progress: {
          load: (chain) => store.read.getWatcherProgress(chain),
          save: (progress) => store.write((tx) => tx.putWatcherProgress(progress, clock.now())),
        },
      });
      watchers.push(running);
      return running;
    },
    watcherStatus: () => watchers.filter((w) => !w.stopped).flatMap((w) => w.status()),
    ingest: ingestEvents,
    label: async (request) => {
      const result = await store.write((tx) => feedback.label(tx, request));
      if (result.suppression !== null || result.lifted !== null) await suppressions.refresh(store.read);
      return result;
    },
    revokeSuppression: async (request) => {
      const revoked = await store.write((tx) => feedback.revoke(tx, request));
      await suppressions.refresh(store.read);
      return revoked;
    },
    createApiToken: async (request) => {
      const { token, secret } = await store.write((tx) => createApiToken(tx, request, credentialDeps));
      return { id: token.id, secret };
    },
    createIntegration: async (request) => {
      const { integration, key } = await store.write((tx) => createIntegration(tx, request, credentialDeps));
      return { id: integration.id, key };
    },
    close: async () => {
      // Watchers first: their last transactions are committed before the store closes.
      await Promise.all(watchers.map((w) => w.stop()));
      await detection.close();
      await workers.stop();
      await store.close();
    },
  };
}
