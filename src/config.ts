import { join, resolve } from 'node:path';
import { SigningSecret } from './respond/chatops/signing-secret.js';
import { defaultUpdateCadence, parseUpdateCadence, type UpdateCadence } from './respond/comms/update-cadence.js';

/** Everything an operator can set, with its default. Flags win over environment variables. */
export interface VigilConfig {
  /** A JSON file configuring the transaction detectors (prices, wallets, lists, rules); none: defaults. */
  readonly detectConfigPath: string | undefined;
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

  // Incident roles, communications and chat-ops.
  /** How often stakeholders are owed an update, per severity (`VIGIL_STAKEHOLDER_UPDATE_MINUTES`). */
  readonly updateCadence: UpdateCadence;
  /** The Slack app's signing secret; chat-ops is off without it (`VIGIL_SLACK_SIGNING_SECRET`). */
  readonly slackSigningSecret: SigningSecret | undefined;
  /** Slack user id -> Vigil person handle (`VIGIL_SLACK_USERS=U024BE7LH=alice,U0G9QF9C6=bob`). */
  readonly slackUsers: Readonly<Record<string, string>>;
}

export const defaultConfig: VigilConfig = {
  detectConfigPath: undefined,
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
  updateCadence: defaultUpdateCadence,
  slackSigningSecret: undefined,
  slackUsers: {},
};

/** Reads the `VIGIL_*` environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  return {
    detectConfigPath: env.VIGIL_DETECT_CONFIG || defaultConfig.detectConfigPath,
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
    updateCadence: env.VIGIL_STAKEHOLDER_UPDATE_MINUTES ? parseUpdateCadence(env.VIGIL_STAKEHOLDER_UPDATE_MINUTES) : defaultConfig.updateCadence,
    slackSigningSecret: env.VIGIL_SLACK_SIGNING_SECRET ? new SigningSecret(env.VIGIL_SLACK_SIGNING_SECRET) : defaultConfig.slackSigningSecret,
    slackUsers: env.VIGIL_SLACK_USERS ? parseSlackUsers(env.VIGIL_SLACK_USERS) : defaultConfig.slackUsers,
  };
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
