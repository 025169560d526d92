/**
 * Small helpers every ingest mapper shares: bounding the sender's text, deriving keys, reading
 * times and links, and keeping the sender's payload as JSON evidence. Senders are other programs
 * and sometimes hand-written scripts; these helpers are where Vigil decides how much of their
 * text it trusts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertLink, AlertSeverity, JsonValue } from '../core/alert.js';

/** The severities as a tuple, which `z.enum` needs (the core's list is an array). */
export const severityNames = ['critical', 'error', 'warning', 'info'] as const satisfies readonly AlertSeverity[];

/** PagerDuty's limit on a summary; Vigil keeps it for every source so any alert can be forwarded there. */
export const maxSummaryLength = 1024;

/** PagerDuty rejects longer dedup keys; Vigil keeps every key within it for the same reason. */
export const maxKeyLength = 255;

/** Links longer than this are not links a person will follow; the payload in `raw` still has them. */
const maxHrefLength = 8192;
const maxLinkTextLength = 256;

/** Deeper JSON is not an alert but an attack on recursive code downstream (hashing, storage). */
const maxJsonDepth = 64;

/** Enough for any real set of custom details; more would bury the annotations a person reads. */
const maxLeaves = 100;
const maxLeafDepth = 8;

/**
 * Cuts `text` to at most `max` UTF-16 units, marking the cut with an ellipsis. Senders expect
 * long summaries to be shortened, not refused, and a cut through a surrogate pair would leave
 * a character no one can render.
 */
export function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Lowercase hex SHA-256, for keys derived from the sender's own words so repeats agree. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** PostgreSQL text cannot hold NUL; replacing it keeps one stray byte from failing a whole ingest. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** The value when it is a string with something besides whitespace in it: blank means absent. */
export function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * A dedup or group key that fits PagerDuty's limit. A longer key is hashed rather than cut,
 * so two long keys that share a prefix stay two alerts, and a repeat still hashes the same.
 */
export function boundedKey(key: string): string {
  const clean = withoutNul(key);
  return clean.length <= maxKeyLength ? clean : sha256Hex(clean);
}

/**
 * The first candidate that is not blank, trimmed, NUL-free and capped at PagerDuty's length.
 * Summaries become incident titles, so a blank one is worse than the next best text.
 */
export function summaryText(candidates: readonly unknown[], fallback: string): string {
  for (const candidate of candidates) {
    const text = nonBlank(candidate);
    if (text !== undefined) return capped(withoutNul(text.trim()), maxSummaryLength);
  }
  return capped(withoutNul(fallback), maxSummaryLength);
}

/** A label set's entries in key order, so that hashing it does not depend on the sender's order. */
export function sortedEntries(labels: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A sender's time in ms, or undefined when it gives none worth trusting. Times at or before
 * the Unix epoch are unset in disguise: Alertmanager writes `0001-01-01T00:00:00Z` for "no end".
 */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * A link the console may render, or undefined. Only http and https survive: a sender's
 * `javascript:` link would otherwise run in an operator's browser with their session.
 */
export function httpLink(href: unknown, text?: unknown): AlertLink | undefined {
  const target = nonBlank(href)?.trim();
  if (target === undefined || target.length > maxHrefLength) return undefined;
  let protocol: string;
  try {
    protocol = new URL(target).protocol;
  } catch {
    return undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') return undefined;
  const label = nonBlank(text);
  return label === undefined ? { href: target } : { href: target, text: capped(label.trim(), maxLinkTextLength) };
}

/**
 * The string leaves of a JSON object as flat `a.b.c` annotations. Annotations must be strings
 * a person can read; numbers, arrays and deeper structure stay in `raw`, where nothing is lost.
 */
export function stringLeaves(value: unknown): Record<string, string> {
  const leaves: [string, string][] = [];
  const visit = (node: unknown, prefix: string, depth: number): void => {
    if (!isPlainObject(node) || depth > maxLeafDepth) return;
    for (const [key, child] of Object.entries(node)) {
      if (leaves.length >= maxLeaves) return;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof child === 'string') leaves.push([path, child]);
      else visit(child, path, depth + 1);
    }
  };
  visit(value, '', 0);
  // fromEntries defines own properties, so a `__proto__` key stays a key and not a prototype.
  return Object.fromEntries(leaves);
}

/**
 * The sender's payload as a JSON value for `raw`. Parsed JSON already is one; this makes the
 * type true for anything else (undefined dropped, non-finite numbers null, as JSON.stringify
 * does) and cuts nesting deeper than anything a real alert has, so no later step overflows.
 */
export function asJson(value: unknown): JsonValue {
  return jsonAt(value, 0);
}

function jsonAt(value: unknown, depth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // -0 becomes 0, as it would after a round trip through JSON text.
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null;
  if (depth >= maxJsonDepth) return '[nesting too deep]';
  if (Array.isArray(value)) return Array.from(value, (item: unknown) => jsonAt(item, depth + 1));
  const entries: [string, JsonValue][] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child !== undefined && typeof child !== 'function' && typeof child !== 'symbol') entries.push([key, jsonAt(child, depth + 1)]);
  }
  return Object.fromEntries(entries);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A required string that must say something, optionally at most `max` long. PagerDuty answers
 * blank ones as "missing or blank"; a blank title or key would make an alert no one can find.
 */
export function nonBlankString(max?: number): z.ZodString {
  const text = max === undefined ? z.string() : z.string().max(max);
  return text.refine((value) => value.trim() !== '', { message: 'must not be blank' });
}

/**
 * A schema that parses with the schema the input's shape calls for (one alert or a list).
 * A plain union would answer a bad list with one "Invalid input" at the root; choosing first
 * keeps each problem at its own path (`3.summary`), which is what a sender needs to fix it.
 */
export function byShape<T>(choose: (input: unknown) => z.ZodType<T>, shapes: readonly z.ZodType[]): z.ZodType<T, unknown> {
  return z
    .unknown()
    .transform((input, ctx): T => {
      const result = choose(input).safeParse(input);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    })
    .meta({ anyOf: shapes.map(documented) });
}

/**
 * The JSON Schema of one accepted shape, for OpenAPI: the transform above is opaque to the
 * schema generator, so the shapes it chooses between are documented beside it.
 */
function documented(shape: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(shape, { io: 'input', unrepresentable: 'any' });
  return schema;
}
