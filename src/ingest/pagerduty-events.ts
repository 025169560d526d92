/**
 * PagerDuty Events API v2, so that anything already able to page PagerDuty can page Vigil by
 * changing one URL. Validation and error strings follow PagerDuty's, because those senders'
 * logs and retry logic were written against PagerDuty's answers.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
import { z } from 'zod';
import type { AlertEvent, AlertLink } from '../core/alert.js';
import type { IngestContext } from './ingest-context.js';
import { asJson, boundedKey, httpLink, maxKeyLength, nonBlank, nonBlankString, parseTime, severityNames, stringLeaves, summaryText } from './text.js';

const linkSchema = z.looseObject({ href: z.string(), text: z.string().nullish() });
const imageSchema = z.looseObject({ src: z.string(), href: z.string().nullish(), alt: z.string().nullish() });

/** Fields every event action may carry. Optional ones accept `null`, which many clients send for "unset". */
const commonFields = {
  /** The integration key. PagerDuty's are 32 characters; Vigil's own keys may differ, so any is accepted. */
  routing_key: nonBlankString(maxKeyLength),
  links: z.array(linkSchema).nullish(),
  images: z.array(imageSchema).nullish(),
  client: z.string().nullish(),
  client_url: z.string().nullish(),
};

const triggerPayloadSchema = z.looseObject({
  /** Longer summaries are accepted and cut to 1024 characters, as PagerDuty does. */
  summary: nonBlankString(),
  source: nonBlankString(),
  severity: z.enum(severityNames),
  timestamp: z.string().nullish(),
  component: z.string().nullish(),
  group: z.string().nullish(),
  class: z.string().nullish(),
  custom_details: z.unknown().optional(),
});

const triggerEventSchema = z.looseObject({
  ...commonFields,
  event_action: z.literal('trigger'),
  /** Absent or blank on a trigger: Vigil makes one and returns it, as PagerDuty does. */
  dedup_key: z.string().max(maxKeyLength).nullish(),
  payload: triggerPayloadSchema,
});

const followUpEventSchema = z.looseObject({
  ...commonFields,
  event_action: z.enum(['acknowledge', 'resolve']),
  dedup_key: nonBlankString(maxKeyLength),
  /** PagerDuty ignores the payload of an acknowledge or resolve, so any value is accepted. */
  payload: z.unknown().optional(),
});

/** A PagerDuty Events API v2 event (`POST /v2/enqueue`), with the rules of each event action. */
export const pagerdutyEventSchema = z.discriminatedUnion('event_action', [triggerEventSchema, followUpEventSchema]);

export type PagerDutyEvent = z.infer<typeof pagerdutyEventSchema>;

export type PagerDutyParseResult =
  | { readonly ok: true; readonly routingKey: string; readonly dedupKey: string; readonly event: AlertEvent }
  | { readonly ok: false; readonly errors: string[] };

/**
 * Validates and maps one event. It returns PagerDuty's error strings rather than throwing, so
 * the HTTP layer can answer exactly as PagerDuty would (400, `invalid event`). The routing key
 * is returned beside the event, never inside it: it is a secret and the event is stored.
 */
export function parsePagerDutyEvent(body: unknown, ctx: IngestContext): PagerDutyParseResult {
  const parsed = pagerdutyEventSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: pagerDutyErrors(parsed.error.issues) };
  const event = pagerDutyAlertEvent(parsed.data, ctx);
  return { ok: true, routingKey: parsed.data.routing_key, dedupKey: event.dedupKey, event };
}

function pagerDutyAlertEvent(body: PagerDutyEvent, ctx: IngestContext): AlertEvent {
  // `ids.secret(16)` is 32 hex characters, the shape of PagerDuty's own generated keys.
  const dedupKey = boundedKey(nonBlank(body.dedup_key) ?? ctx.ids.secret(16));
  const { routing_key: _secret, ...raw } = body;
  const client = nonBlank(body.client);
  const links = [
    ...(body.links ?? []).map((link) => httpLink(link.href, link.text)),
    httpLink(body.client_url, client ?? 'Client'),
    ...(body.images ?? []).map((image) => httpLink(image.href, image.alt ?? 'Image')),
  ].filter((link): link is AlertLink => link !== undefined);
  const clientLabel: Record<string, string> = client === undefined ? {} : { client };

  if (body.event_action !== 'trigger') {
    return {
      source: 'pagerduty',
      action: body.event_action,
      dedupKey,
      fingerprint: dedupKey,
      groupKey: dedupKey,
      // Acknowledge and resolve act on the open alert by key; their severity and summary are not used.
      severity: 'info',
      summary: summaryText([], `PagerDuty ${body.event_action}`),
      labels: clientLabel,
      annotations: {},
      links,
      raw: asJson(raw),
      occurredAt: ctx.receivedAt,
    };
  }

  const { payload } = body;
  const labels: Record<string, string> = {};
  for (const key of ['source', 'component', 'group', 'class'] as const) {
    const value = nonBlank(payload[key]);
    if (value !== undefined) labels[key] = value;
  }
  return {
    source: 'pagerduty',
    action: 'trigger',
    dedupKey,
    fingerprint: dedupKey,
    groupKey: boundedKey(nonBlank(payload.group) ?? dedupKey),
    severity: payload.severity,
    summary: summaryText([payload.summary], 'PagerDuty trigger'),
    labels: { ...labels, ...clientLabel },
    annotations: stringLeaves(payload.custom_details),
    links,
    raw: asJson(raw),
    occurredAt: parseTime(payload.timestamp) ?? ctx.receivedAt,
  };
}

/**
 * PagerDuty-style error strings: the field path in quotes and what is wrong with it, e.g.
 * `'payload.summary' is missing or blank`, `'event_action' is invalid`.
 */
function pagerDutyErrors(issues: readonly z.core.$ZodIssue[]): string[] {
  return [...new Set(issues.map(pagerDutyError))];
}

function pagerDutyError(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (path === '') return 'Event object must be a JSON object';
  const value = issue.code === 'invalid_union' && 'discriminator' in issue ? fieldOf(issue.input, path) : issue.input;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return `'${path}' is missing or blank`;
  switch (issue.code) {
    case 'too_big':
      return `'${path}' is too long (at most ${String(issue.maximum)} characters)`;
    case 'invalid_value':
      return `'${path}' is invalid (must be one of: ${issue.values.map((v) => `'${String(v)}'`).join(', ')})`;
    default:
      return `'${path}' is invalid`;
  }
}

function fieldOf(input: unknown, key: string): unknown {
  return typeof input === 'object' && input !== null && Object.hasOwn(input, key) ? (input as Record<string, unknown>)[key] : undefined;
}
