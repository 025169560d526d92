/**
 * Forta findings: what an on-chain detection bot reports about a transaction or a block.
 * Bots emit the SDK's `Finding` as JSON; some post one, some a list, some `{ findings }`.
 * https://docs.forta.network/en/latest/sdk/
 */
import { z } from 'zod';
import type { AlertEvent, AlertSeverity } from '../core/alert.js';
import type { IngestContext } from './ingest-context.js';
import { asJson, boundedKey, byShape, nonBlank, nonBlankString, parseTime, sha256Hex, stringLeaves, summaryText } from './text.js';

/** The SDK's enums in declaration order: bots in other languages send their numeric values. */
const fortaSeverities = ['Unknown', 'Info', 'Low', 'Medium', 'High', 'Critical'] as const;
const fortaTypes = ['Unknown', 'Exploit', 'Suspicious', 'Degraded', 'Info', 'Scam'] as const;
type FortaSeverity = (typeof fortaSeverities)[number];

/** More findings than this in one request is a bot in a loop, not a detection. */
const maxFindings = 1000;

/** Forta's severities on the alert scale; Vigil's own findings use the same mapping. */
export const severityByFortaSeverity: Readonly<Record<FortaSeverity, AlertSeverity>> = {
  Critical: 'critical',
  High: 'error',
  Medium: 'warning',
  Low: 'info',
  Info: 'info',
  Unknown: 'info',
};

/**
 * One finding. Exported for API documentation: `fortaFindingsSchema` dispatches by shape, which
 * JSON Schema cannot express, so OpenAPI shows this one instead.
 */
export const fortaFindingSchema = z.looseObject({
  name: nonBlankString(),
  description: nonBlankString(),
  alertId: nonBlankString(),
  severity: z.union([z.enum(fortaSeverities), z.int().min(0).max(5)]),
  type: z.union([z.enum(fortaTypes), z.int().min(0).max(5)]),
  protocol: z.string().nullish(),
  /** The SDK types it as strings, but bots put numbers in too; those stay in `raw`. */
  metadata: z.record(z.string(), z.unknown()).nullish(),
  addresses: z.array(z.string()).nullish(),
  /** Entity labels; their shape has changed across SDK versions, so any objects are accepted. */
  labels: z.array(z.looseObject({})).nullish(),
  uniqueKey: z.string().nullish(),
  /** Where the finding comes from, e.g. `{ chainId, transactionHash, block: { number, hash, chainId } }`. */
  source: z.looseObject({}).nullish(),
  timestamp: z.string().nullish(),
});

const fortaEnvelopeSchema = z.looseObject({ findings: z.array(fortaFindingSchema).max(maxFindings) });
const fortaListSchema = z.array(fortaFindingSchema).max(maxFindings);

type FortaFinding = z.infer<typeof fortaFindingSchema>;
type FortaEnvelope = z.infer<typeof fortaEnvelopeSchema>;
export type FortaFindings = FortaFinding | FortaFinding[] | FortaEnvelope;

/** An object with a `findings` key is an envelope; the schema and the mapper must agree on this. */
function isEnvelope(input: unknown): input is FortaEnvelope {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && Object.hasOwn(input, 'findings');
}

/**
 * One finding, a list of findings, or `{ findings: [...] }`, told apart by shape before
 * validating so that an error names the finding and the field (`findings.2.alertId`).
 */
export const fortaFindingsSchema = byShape<FortaFindings>((input) =>
  Array.isArray(input) ? fortaListSchema : isEnvelope(input) ? fortaEnvelopeSchema : fortaFindingSchema,
  [fortaFindingSchema, fortaListSchema, fortaEnvelopeSchema],
);

/**
 * One trigger per finding: a finding reports that something happened and Forta never
 * resolves it. Without a `uniqueKey` the key is the detection plus the addresses involved,
 * so a bot that reports the same exploit on every block makes one alert, not thousands.
 */
export function fortaEvents(payload: FortaFindings, ctx: IngestContext): AlertEvent[] {
  const findings = Array.isArray(payload) ? payload : isEnvelope(payload) ? payload.findings : [payload];
  return findings.map((finding): AlertEvent => {
    const dedupKey = boundedKey(nonBlank(finding.uniqueKey) ?? findingKey(finding));
    const severity = typeof finding.severity === 'number' ? (fortaSeverities[finding.severity] ?? 'Unknown') : finding.severity;
    const findingType = typeof finding.type === 'number' ? (fortaTypes[finding.type] ?? 'Unknown') : finding.type;
    const labels: Record<string, string> = { alertId: finding.alertId, findingType };
    const protocol = nonBlank(finding.protocol);
    if (protocol !== undefined) labels.protocol = protocol;
    const chainId = chainIdOf(finding.source);
    if (chainId !== undefined) labels.chainId = chainId;
    return {
      source: 'forta',
      action: 'trigger',
      dedupKey,
      fingerprint: dedupKey,
      groupKey: boundedKey(finding.alertId),
      severity: severityByFortaSeverity[severity],
      summary: summaryText([`${finding.name.trim()}: ${finding.description.trim()}`], finding.alertId),
      labels,
      // The description last, so a metadata entry called `description` cannot hide it.
      annotations: { ...stringLeaves(finding.metadata), description: finding.description },
      // A transaction link needs the chain's explorer, which is configuration, not payload.
      links: [],
      raw: asJson(finding),
      occurredAt: parseTime(finding.timestamp) ?? ctx.receivedAt,
    };
  });
}

function findingKey(finding: FortaFinding): string {
  const addresses = [...new Set((finding.addresses ?? []).map((address) => address.toLowerCase()))].sort();
  return sha256Hex(`${finding.alertId}|${addresses.join(',')}`);
}

/** The chain id from `source.chainId` or `source.block.chainId`, as the SDK has placed it over time. */
function chainIdOf(source: Record<string, unknown> | null | undefined): string | undefined {
  const block = source?.block;
  const candidates = [source?.chainId, typeof block === 'object' && block !== null ? (block as Record<string, unknown>).chainId : undefined];
  for (const candidate of candidates) {
    if (typeof candidate === 'number' && Number.isSafeInteger(candidate)) return String(candidate);
    const text = nonBlank(candidate);
    if (text !== undefined) return text.trim();
  }
  return undefined;
}
