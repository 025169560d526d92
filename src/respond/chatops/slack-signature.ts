import { createHmac, timingSafeEqual } from 'node:crypto';
import { VigilError } from '../../core/errors.js';
import type { SigningSecret } from './signing-secret.js';

/** How far a request's timestamp may be from our clock, as Slack recommends. */
export const slackSignatureToleranceMs = 5 * 60_000;

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`: what Slack sends as `X-Slack-Signature`. */
export function slackSignature(secret: SigningSecret, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret.reveal()).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Checks that a request comes from Slack: the signature over the raw body is right (compared in
 * constant time), and its timestamp is within five minutes of `now`. Throws UNAUTHENTICATED.
 */
export function verifySlackSignature(request: {
  secret: SigningSecret;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: number;
}): void {
  const { timestamp, signature } = request;
  if (timestamp === undefined || signature === undefined) {
    throw new VigilError('UNAUTHENTICATED', 'X-Slack-Request-Timestamp and X-Slack-Signature are required');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new VigilError('UNAUTHENTICATED', 'X-Slack-Request-Timestamp is not a Unix time');
  if (Math.abs(request.now - Number(timestamp) * 1000) > slackSignatureToleranceMs) {
    throw new VigilError('UNAUTHENTICATED', 'the request timestamp is more than 5 minutes from now; replays are refused');
  }
  const expected = Buffer.from(slackSignature(request.secret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new VigilError('UNAUTHENTICATED', 'the Slack signature does not match; check the signing secret');
  }
}

/**
 * Remembers the signatures seen in the last five minutes so that a captured request sent again
 * inside the timestamp window is refused too. Per process: with several instances, the window
 * check still bounds a replay to five minutes.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #windowMs: number;

  constructor(windowMs = 2 * slackSignatureToleranceMs) {
    this.#windowMs = windowMs;
  }

  /** Throws UNAUTHENTICATED when `signature` was already seen within the window. */
  check(signature: string, now: number): void {
    for (const [key, at] of this.#seen) {
      if (now - at <= this.#windowMs) break;
      this.#seen.delete(key);
    }
    if (this.#seen.has(signature)) throw new VigilError('UNAUTHENTICATED', 'this request was already received; replays are refused');
    this.#seen.set(signature, now);
  }
}
