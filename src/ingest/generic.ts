/**
 * Vigil's own JSON alert, for scripts, cron jobs and anything with no format of its own. It
 * borrows PagerDuty's words (severity, dedup key) and Alertmanager's (status, labels) so a
 * sender who knows either needs no manual.
 */
import { z } from 'zod';
import type { AlertEvent, AlertLink } from '../core/alert.js';
import type { IngestContext } from './ingest-context.js';
import { asJson, boundedKey, byShape, httpLink, maxKeyLength, maxSummaryLength, nonBlank, nonBlankString, parseTime, severityNames, sha256Hex, sortedEntries, summaryText } from './text.js';

/** One request is one batch; more than this is better sent as several. */
const maxAlerts = 1000;

const labelSetSchema = z.record(z.string(), z.string());

/**
 * One alert. Optional fields accept `null`, which many clients send for "unset". Exported for API
 * documentation: `genericAlertsSchema` dispatches by shape, which JSON Schema cannot express.
 */
export const genericAlertSchema = z.looseObject({
  summary: nonBlankString(maxSummaryLength),
  severity: z.enum(severityNames).nullish(),
  status: z.enum(['firing', 'resolved']).nullish(),
  dedup_key: z.string().max(maxKeyLength).nullish(),
  group_key: z.string().nullish(),
  source: z.string().nullish(),
  labels: labelSetSchema.nullish(),
  annotations: labelSetSchema.nullish(),
  /** Any JSON; kept in `raw` only, since labels and annotations must be strings. */
  details: z.unknown().optional(),
  links: z.array(z.looseObject({ href: z.string(), text: z.string().nullish() })).nullish(),
  timestamp: z.string().nullish(),
});

const genericAlertListSchema = z.array(genericAlertSchema).min(1).max(maxAlerts);

type GenericAlert = z.infer<typeof genericAlertSchema>;
export type GenericAlerts = GenericAlert | GenericAlert[];

/** One alert or a list of 1 to 1000, told apart by shape so errors name the item (`3.summary`). */
export const genericAlertsSchema = byShape<GenericAlerts>(
  (input) => (Array.isArray(input) ? genericAlertListSchema : genericAlertSchema),
  [genericAlertSchema, genericAlertListSchema],
);

/**
 * One event per alert. Without a dedup key, the key is the summary and labels, so a script
 * that sends the same alert every minute makes one alert with a count, not a page a minute.
 */
export function genericEvents(payload: GenericAlerts, ctx: IngestContext): AlertEvent[] {
  const alerts = Array.isArray(payload) ? payload : [payload];
  return alerts.map((alert): AlertEvent => {
    const source = nonBlank(alert.source);
    // Explicit labels win over the `source` shorthand.
    const labels: Record<string, string> = { ...(source === undefined ? {} : { source }), ...alert.labels };
    const dedupKey = boundedKey(nonBlank(alert.dedup_key) ?? sha256Hex(JSON.stringify([alert.summary, sortedEntries(labels)])));
    return {
      source: 'generic',
      action: alert.status === 'resolved' ? 'resolve' : 'trigger',
      dedupKey,
      fingerprint: dedupKey,
      groupKey: boundedKey(nonBlank(alert.group_key) ?? dedupKey),
      severity: alert.severity ?? 'warning',
      summary: summaryText([alert.summary], 'Alert'),
      labels,
      annotations: { ...alert.annotations },
      links: (alert.links ?? []).map((link) => httpLink(link.href, link.text)).filter((link): link is AlertLink => link !== undefined),
      raw: asJson(alert),
      occurredAt: parseTime(alert.timestamp) ?? ctx.receivedAt,
    };
  });
}
