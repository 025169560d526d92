/**
 * Prometheus Alertmanager's webhook (payload version 4). One webhook carries a group of alerts;
 * each alert becomes one event, because each can fire and resolve on its own.
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
import { z } from 'zod';
import type { AlertEvent, AlertLink, AlertSeverity } from '../core/alert.js';
import type { IngestContext } from './ingest-context.js';
import { asJson, boundedKey, httpLink, nonBlank, parseTime, sha256Hex, sortedEntries, summaryText } from './text.js';

/** Alertmanager writes a nil map as `null`; both mean "no labels". */
const labelSetSchema = z.record(z.string(), z.string());
const optionalLabelSet = labelSetSchema.nullish();

const alertmanagerAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSetSchema,
  annotations: optionalLabelSet,
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  /** Absent before Alertmanager 0.20 and in hand-written payloads; derived from the labels then. */
  fingerprint: z.string().optional(),
});

/**
 * The webhook as Alertmanager sends it. Only what every version and every hand-written test
 * payload has is required (version, status, alerts, and each alert's status and labels); the
 * rest is optional so that a `curl` with a minimal body works. Unknown fields are kept.
 */
export const alertmanagerWebhookSchema = z.looseObject({
  version: z.string(),
  groupKey: z.string().optional(),
  /** How many alerts Alertmanager left out because of `max_alerts`; 0 when absent. */
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupLabels: optionalLabelSet,
  commonLabels: optionalLabelSet,
  commonAnnotations: optionalLabelSet,
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema),
});

export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
type AlertmanagerAlert = AlertmanagerWebhook['alerts'][number];

/**
 * Turns a webhook into one event per alert. The alert's own status decides the action, not the
 * group's: a "firing" group may carry alerts that have just resolved, and those must resolve.
 */
export function alertmanagerEvents(payload: AlertmanagerWebhook, ctx: IngestContext): AlertEvent[] {
  const groupKey = boundedKey(nonBlank(payload.groupKey) ?? sha256Hex(JSON.stringify(sortedEntries(payload.groupLabels ?? {}))));
  const alertmanagerLink = httpLink(payload.externalURL, 'Alertmanager');
  const context = { receiver: payload.receiver, groupKey: payload.groupKey, externalURL: payload.externalURL };
  return payload.alerts.map((alert): AlertEvent => {
    const labels = { ...alert.labels };
    const annotations = { ...alert.annotations };
    const fingerprint = boundedKey(nonBlank(alert.fingerprint) ?? alertmanagerFingerprint(labels));
    const links = [httpLink(alert.generatorURL, 'Source'), alertmanagerLink].filter((link): link is AlertLink => link !== undefined);
    const time = alert.status === 'firing' ? alert.startsAt : alert.endsAt;
    return {
      source: 'alertmanager',
      action: alert.status === 'firing' ? 'trigger' : 'resolve',
      dedupKey: fingerprint,
      fingerprint,
      groupKey,
      severity: severityFromLabel(labels.severity),
      summary: alertSummary(alert),
      labels,
      annotations,
      links,
      raw: asJson({ ...context, ...alert }),
      occurredAt: parseTime(time) ?? ctx.receivedAt,
    };
  });
}

/**
 * What teams put in a `severity` label, on PagerDuty's scale. A Map, not an object: a label
 * value of `constructor` must not find a function on Object.prototype.
 */
const severityByLabel: ReadonlyMap<string, AlertSeverity> = new Map([
  ['critical', 'critical'],
  ['page', 'critical'],
  ['p1', 'critical'],
  ['error', 'error'],
  ['high', 'error'],
  ['major', 'error'],
  ['p2', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['medium', 'warning'],
  ['minor', 'warning'],
  ['p3', 'warning'],
]);

/**
 * No severity label means the team never said, and a warning neither pages at night nor
 * disappears; an unknown word (`low`, `none`, `p4`, a typo) is taken as informational.
 */
export function severityFromLabel(label: string | undefined): AlertSeverity {
  const word = label?.trim().toLowerCase();
  if (word === undefined || word === '') return 'warning';
  return severityByLabel.get(word) ?? 'info';
}

/**
 * The summary annotation when the rule has one; else the description or the alert name. The
 * instance is added when the text does not already name it, so two hosts' alerts read apart.
 */
function alertSummary(alert: AlertmanagerAlert): string {
  const candidates = [alert.annotations?.summary, alert.annotations?.description, alert.labels.alertname];
  const text = candidates.map(nonBlank).find((candidate) => candidate !== undefined)?.trim() ?? 'Alertmanager alert';
  const instance = nonBlank(alert.labels.instance)?.trim();
  return summaryText([instance === undefined || text.includes(instance) ? text : `${text} (${instance})`], 'Alertmanager alert');
}

const fnvOffset = 0xcbf29ce484222325n;
const fnvPrime = 0x100000001b3n;
const labelSeparator = 0xff;

/**
 * Alertmanager's own fingerprint of a label set (FNV-1a 64 over names and values in byte order,
 * each followed by 0xff, as `model.LabelSet.Fingerprint` computes it). Deriving the same value
 * means an old Alertmanager without fingerprints and a new one agree on the dedup key.
 */
export function alertmanagerFingerprint(labels: Readonly<Record<string, string>>): string {
  const encoder = new TextEncoder();
  const names = Object.keys(labels)
    .map((name) => ({ name, bytes: encoder.encode(name) }))
    .sort((a, b) => compareBytes(a.bytes, b.bytes));
  let hash = fnvOffset;
  const add = (bytes: Iterable<number>): void => {
    for (const byte of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * fnvPrime);
  };
  for (const { name, bytes } of names) {
    add(bytes);
    add([labelSeparator]);
    add(encoder.encode(labels[name] ?? ''));
    add([labelSeparator]);
  }
  return hash.toString(16).padStart(16, '0');
}

/** Go sorts strings by bytes; JavaScript by UTF-16 units. They differ beyond the BMP. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
