import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SigningSecret } from './signing-secret.js';
import { ReplayGuard, slackSignature, verifySlackSignature } from './slack-signature.js';

// Slack's worked example from "Verifying requests from Slack".
const secret = new SigningSecret('8f742231b10e8888abcd99yyyzzz85a5');
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const timestamp = '1531420618';
const now = 1531420618 * 1000;

describe('Slack request signatures', () => {
  it("computes Slack's documented example signature", () => {
    expect(slackSignature(secret, timestamp, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('accepts a good signature and refuses a bad, missing or stale one', () => {
    const signature = slackSignature(secret, timestamp, body);
    expect(() => verifySlackSignature({ secret, timestamp, signature, rawBody: body, now })).not.toThrow();
    expect(() => verifySlackSignature({ secret, timestamp, signature, rawBody: `${body}x`, now })).toThrow(/does not match/);
    expect(() => verifySlackSignature({ secret, timestamp, signature: 'v0=00', rawBody: body, now })).toThrow(/does not match/);
    expect(() => verifySlackSignature({ secret, timestamp, signature: undefined, rawBody: body, now })).toThrow(/required/);
    expect(() => verifySlackSignature({ secret, timestamp: 'soon', signature, rawBody: body, now })).toThrow(/Unix time/);
    expect(() => verifySlackSignature({ secret, timestamp, signature, rawBody: body, now: now + 5 * 60_000 + 1 })).toThrow(/5 minutes/);
    expect(() => verifySlackSignature({ secret, timestamp, signature, rawBody: body, now: now - 5 * 60_000 - 1 })).toThrow(/5 minutes/);
    expect(() => verifySlackSignature({ secret, timestamp, signature, rawBody: body, now: now + 5 * 60_000 })).not.toThrow();
  });

  it('refuses the same signed request twice within the window', () => {
    const guard = new ReplayGuard();
    guard.check('v0=aa', now);
    expect(() => guard.check('v0=aa', now + 1_000)).toThrow(/already received/);
    guard.check('v0=bb', now + 1_000);
    // Long after the window the entry is forgotten (the timestamp check refuses it anyway).
    expect(() => guard.check('v0=aa', now + 11 * 60_000)).not.toThrow();
  });

  it('never prints the signing secret', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret })).not.toContain('8f742231');
  });
});
