import { join, resolve } from 'node:path';
import type { SmtpConfig } from './core/contact.js';
import { SigningSecret } from './respond/chatops/signing-secret.js';
import { defaultUpdateCadence, parseUpdateCadence, type UpdateCadence } from './respond/comms/update-cadence.js';

/** Everything an operator can set, with its default. Flags win over environment variables. */
export interface VigilConfig {
  /** A JSON file configuring the transaction detectors (prices, wallets, lists, rules); none: defaults. */
  readonly detectConfigPath: string | undefined;
  /** Run the transaction detectors in a worker thread of their own (`VIGIL_DETECTION_THREAD=false`: on the main thread). */
  readonly detectionThread: boolean;
  /** The detection thread's heap limit in MB (`VIGIL_DETECTION_MAX_HEAP_MB`); past it the thread fails and starts over, the server goes on. None: Node's. */
  readonly detectionMaxHeapMb: number | undefined;
  /** A JSON file with the impact matrix and service tiers; none: the default crypto-exchange matrix. */
  readonly impactConfigPath: string | undefined;
  /** PostgreSQL URL; when absent, SQLite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** A new alert joins an open incident of its group only if that incident had an alert this recently. */
  readonly groupWindowMs: number;
  readonly autoResolve: boolean;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** PagerDuty-compatible events per routing key per minute before 429. */
  readonly eventsPerMinute: number;
  readonly sqliteSynchronous: 'full' | 'normal';
  readonly logLevel: string;
  /** False positives about one entity (and no true positive) before a detector is suppressed for it. */
  readonly suppressAfterFalsePositives: number;
  /** Time between rounds of the background workers (outbox, escalation timers, reminders). */
  readonly workerIntervalMs: number;
  /** How long before a silence ends its reminder is recorded (and its creator told). */
  readonly silenceReminderLeadMs: number;
  // --- notifications ---
  /** The console's base URL, for the link in every notification (`VIGIL_PUBLIC_URL`). */
  readonly publicUrl: string | undefined;
  /** Base64 of 32 bytes encrypting stored channel secrets; unset: a key file in the data dir. */
  readonly secretKey: string | undefined;
  /** The server-wide SMTP server for email methods and channels that name none. */
  readonly smtp: SmtpConfig | undefined;
  readonly notify: NotifyConfig;
  // Incident roles, communications and chat-ops.
  /** How often stakeholders are owed an update, per severity (`VIGIL_STAKEHOLDER_UPDATE_MINUTES`). */
  readonly updateCadence: UpdateCadence;
  /** The Slack app's signing secret; chat-ops is off without it (`VIGIL_SLACK_SIGNING_SECRET`). */
  readonly slackSigningSecret: SigningSecret | undefined;
  /** Slack user id -> Vigil person handle (`VIGIL_SLACK_USERS=U024BE7LH=alice,U0G9QF9C6=bob`). */
  readonly slackUsers: Readonly<Record<string, string>>;
  /** A directory of playbooks (YAML) that add to or replace the built-in ones; none: built-ins only. */
  readonly playbookDir: string | undefined;
  /** A JSON file of chains for `vigil serve` to watch (`VIGIL_WATCH_CONFIG`); none: no watchers. */
  readonly watchConfigPath: string | undefined;
}

/** The outbox's delivery and retry settings. */
export interface NotifyConfig {
  readonly backoffBaseMs: number;
  readonly backoffFactor: number;
  readonly backoffCapMs: number;
  /** Attempts in all before a message is dead. */
  readonly maxAttempts: number;
  /** Every delivery (HTTP request, SMTP session) gives up after this long. */
  readonly timeoutMs: number;
  /** How long a claimed message is held before another round may take it again. */
  readonly leaseMs: number;
}

export const defaultConfig: VigilConfig = {
  detectConfigPath: undefined,
  detectionThread: true,
  detectionMaxHeapMb: undefined,
  impactConfigPath: undefined,
  databaseUrl: undefined,
  dataDir: './vigil-data',
  host: '127.0.0.1',
  port: 8080,
  groupWindowMs: 60 * 60 * 1000,
  autoResolve: true,
  bodyLimit: 1024 * 1024,
  eventsPerMinute: 120_000,
  sqliteSynchronous: 'full',
  logLevel: 'info',
  suppressAfterFalsePositives: 3,
  workerIntervalMs: 1000,
  silenceReminderLeadMs: 15 * 60 * 1000,
  publicUrl: undefined,
  secretKey: undefined,
  smtp: undefined,
  notify: { backoffBaseMs: 10_000, backoffFactor: 2, backoffCapMs: 600_000, maxAttempts: 8, timeoutMs: 10_000, leaseMs: 60_000 },
  updateCadence: defaultUpdateCadence,
  slackSigningSecret: undefined,
  slackUsers: {},
  playbookDir: undefined,
  watchConfigPath: undefined,
};

/** Reads the `VIGIL_*` environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  return {
    detectConfigPath: env.VIGIL_DETECT_CONFIG || defaultConfig.detectConfigPath,
    detectionThread: env.VIGIL_DETECTION_THREAD === undefined ? defaultConfig.detectionThread : env.VIGIL_DETECTION_THREAD !== 'false',
    detectionMaxHeapMb: intFrom(env.VIGIL_DETECTION_MAX_HEAP_MB, 'VIGIL_DETECTION_MAX_HEAP_MB') || defaultConfig.detectionMaxHeapMb,
    impactConfigPath: env.VIGIL_IMPACT_CONFIG || defaultConfig.impactConfigPath,
    databaseUrl: env.VIGIL_DATABASE_URL || defaultConfig.databaseUrl,
    dataDir: env.VIGIL_DATA_DIR || defaultConfig.dataDir,
    host: env.VIGIL_HOST || defaultConfig.host,
    port: intFrom(env.VIGIL_PORT, 'VIGIL_PORT') ?? defaultConfig.port,
    groupWindowMs: intFrom(env.VIGIL_GROUP_WINDOW_SECONDS, 'VIGIL_GROUP_WINDOW_SECONDS', 1000) ?? defaultConfig.groupWindowMs,
    autoResolve: env.VIGIL_AUTO_RESOLVE === undefined ? defaultConfig.autoResolve : env.VIGIL_AUTO_RESOLVE !== 'false',
    bodyLimit: intFrom(env.VIGIL_BODY_LIMIT, 'VIGIL_BODY_LIMIT') ?? defaultConfig.bodyLimit,
    eventsPerMinute: intFrom(env.VIGIL_EVENTS_PER_MINUTE, 'VIGIL_EVENTS_PER_MINUTE') ?? defaultConfig.eventsPerMinute,
    sqliteSynchronous: env.VIGIL_SQLITE_SYNCHRONOUS === 'normal' ? 'normal' : defaultConfig.sqliteSynchronous,
    logLevel: env.VIGIL_LOG_LEVEL || defaultConfig.logLevel,
    suppressAfterFalsePositives:
      intFrom(env.VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES, 'VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES') ?? defaultConfig.suppressAfterFalsePositives,
    workerIntervalMs: intFrom(env.VIGIL_WORKER_INTERVAL_MS, 'VIGIL_WORKER_INTERVAL_MS') ?? defaultConfig.workerIntervalMs,
    silenceReminderLeadMs:
      intFrom(env.VIGIL_SILENCE_REMINDER_MINUTES, 'VIGIL_SILENCE_REMINDER_MINUTES', 60_000) ?? defaultConfig.silenceReminderLeadMs,
    publicUrl: env.VIGIL_PUBLIC_URL || defaultConfig.publicUrl,
    secretKey: env.VIGIL_SECRET_KEY || defaultConfig.secretKey,
    smtp: smtpFromEnv(env),
    notify: notifyFromEnv(env),
    updateCadence: env.VIGIL_STAKEHOLDER_UPDATE_MINUTES ? parseUpdateCadence(env.VIGIL_STAKEHOLDER_UPDATE_MINUTES) : defaultConfig.updateCadence,
    slackSigningSecret: env.VIGIL_SLACK_SIGNING_SECRET ? new SigningSecret(env.VIGIL_SLACK_SIGNING_SECRET) : defaultConfig.slackSigningSecret,
    slackUsers: env.VIGIL_SLACK_USERS ? parseSlackUsers(env.VIGIL_SLACK_USERS) : defaultConfig.slackUsers,
    playbookDir: env.VIGIL_PLAYBOOK_DIR || defaultConfig.playbookDir,
    watchConfigPath: env.VIGIL_WATCH_CONFIG || defaultConfig.watchConfigPath,
  };
}

/** `VIGIL_SMTP_HOST`, `_PORT` (587), `_SECURE` (false), `_USER`, `_PASSWORD`, `_FROM`; none without a host. */
function smtpFromEnv(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  if (!env.VIGIL_SMTP_HOST) return undefined;
  if (!env.VIGIL_SMTP_FROM) throw new Error('VIGIL_SMTP_FROM must be set with VIGIL_SMTP_HOST (the From address of notification emails)');
  return {
    host: env.VIGIL_SMTP_HOST,
    port: intFrom(env.VIGIL_SMTP_PORT, 'VIGIL_SMTP_PORT') ?? 587,
    secure: env.VIGIL_SMTP_SECURE === 'true',
    ...(env.VIGIL_SMTP_USER ? { user: env.VIGIL_SMTP_USER } : {}),
    ...(env.VIGIL_SMTP_PASSWORD ? { password: env.VIGIL_SMTP_PASSWORD } : {}),
    from: env.VIGIL_SMTP_FROM,
  };
}

function notifyFromEnv(env: NodeJS.ProcessEnv): NotifyConfig {
  const d = defaultConfig.notify;
  const factor = env.VIGIL_NOTIFY_BACKOFF_FACTOR === undefined || env.VIGIL_NOTIFY_BACKOFF_FACTOR === '' ? d.backoffFactor : Number(env.VIGIL_NOTIFY_BACKOFF_FACTOR);
  if (!(factor >= 1)) throw new Error(`VIGIL_NOTIFY_BACKOFF_FACTOR must be a number of at least 1, not ${JSON.stringify(env.VIGIL_NOTIFY_BACKOFF_FACTOR)}`);
  const notify = {
    backoffBaseMs: intFrom(env.VIGIL_NOTIFY_BACKOFF_BASE_MS, 'VIGIL_NOTIFY_BACKOFF_BASE_MS') ?? d.backoffBaseMs,
    backoffFactor: factor,
    backoffCapMs: intFrom(env.VIGIL_NOTIFY_BACKOFF_CAP_MS, 'VIGIL_NOTIFY_BACKOFF_CAP_MS') ?? d.backoffCapMs,
    maxAttempts: Math.max(1, intFrom(env.VIGIL_NOTIFY_MAX_ATTEMPTS, 'VIGIL_NOTIFY_MAX_ATTEMPTS') ?? d.maxAttempts),
    timeoutMs: intFrom(env.VIGIL_NOTIFY_TIMEOUT_MS, 'VIGIL_NOTIFY_TIMEOUT_MS') ?? d.timeoutMs,
    leaseMs: intFrom(env.VIGIL_NOTIFY_LEASE_MS, 'VIGIL_NOTIFY_LEASE_MS') ?? d.leaseMs,
  };
  // A live dispatcher must never lose its claim to another instance while it is still sending.
  if (notify.leaseMs < 3 * notify.timeoutMs) {
    throw new Error(`VIGIL_NOTIFY_LEASE_MS (${notify.leaseMs}) must be at least 3 times VIGIL_NOTIFY_TIMEOUT_MS (${notify.timeoutMs})`);
  }
  return notify;
}

/** `U024BE7LH=alice,U0G9QF9C6=bob` as a map from Slack user id to person handle. */
export function parseSlackUsers(text: string): Record<string, string> {
  const users: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([UW][A-Z0-9]+)\s*=\s*@?(\S+)$/.exec(part);
    if (match === null) throw new Error(`VIGIL_SLACK_USERS: not a mapping: ${JSON.stringify(part)} (use U024BE7LH=alice,U0G9QF9C6=bob)`);
    users[match[1]!] = match[2]!;
  }
  return users;
}

/** The SQLite file inside the data directory. */
export function sqlitePath(config: Pick<VigilConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(resolve(config.dataDir), 'vigil.db');
}

function intFrom(text: string | undefined, name: string, scale = 1): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(text)}`);
  return n * scale;
}
