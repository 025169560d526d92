import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigningSecret } from '../../respond/chatops/signing-secret.js';
import { slackSignature } from '../../respond/chatops/slack-signature.js';
import { event } from '../../../test/support/vigil.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

const secret = new SigningSecret('slack-signing-secret-for-tests');

describe('Slack slash commands', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi({ slackSigningSecret: secret, slackUsers: { U0BOB: 'bob' } });
    const integration = (await t.vigil.store.read.listIntegrations()).find((i) => i.kind === 'generic')!;
    await t.vigil.ingest(integration, [event({ severity: 'critical', summary: 'Bridge relayer <!channel> stalled' })]);
    await t.vigil.ingest(integration, [event({ dedupKey: 'gas', groupKey: 'gas', severity: 'warning', summary: 'Gas price spike' })]);
  });
  afterEach(async () => t.close());

  function form(fields: Record<string, string>): string {
    return new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: 'T0001',
      team_domain: 'exchange',
      channel_id: 'C2147483705',
      channel_name: 'incidents',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/vigil',
      text: '',
      response_url: 'https://hooks.slack.com/commands/1234/5678',
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
      ...fields,
    }).toString();
  }

  function send(body: string, options: { timestamp?: number; signature?: string; contentType?: string } = {}) {
    const timestamp = String(options.timestamp ?? Math.floor(t.clock.now() / 1000));
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/chatops/slack',
      headers: {
        'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
      },
      payload: body,
    });
  }
  const slash = async (text: string, user: Record<string, string> = {}) => {
    const response = await send(form({ text, ...user }));
    expect(response.statusCode).toBe(200);
    // Each request is new, as Slack's are: move on so the replay guard sees a fresh signature.
    t.clock.advance(1_000);
    return response.json();
  };
  const timeline = async (n: number) => (await t.vigil.store.read.listTimeline((await t.vigil.store.read.getIncidentByNumber(n))!.id)).at(-1)!;

  it('verifies the signature: good, bad, stale and replayed', async () => {
    const body = form({ text: 'help' });
    expect((await send(body)).statusCode).toBe(200);
    expect((await send(body)).json().error.code).toBe('UNAUTHENTICATED');
    t.clock.advance(1_000);
    const bad = await send(body, { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('UNAUTHENTICATED');
    const forged = await send(body, { signature: slackSignature(new SigningSecret('another app'), String(Math.floor(t.clock.now() / 1000)), body) });
    expect(forged.statusCode).toBe(401);
    const stale = await send(body, { timestamp: Math.floor(t.clock.now() / 1000) - 6 * 60 });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toContain('5 minutes');
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/chatops/slack', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(missing.statusCode).toBe(401);
    // A signed JSON body is not what Slack sends.
    expect((await send(JSON.stringify({ text: 'help' }), { contentType: 'application/json' })).statusCode).toBe(415);
  });

  it('documents the endpoints in /openapi.json, form-encoded for Slack', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(Object.keys(spec.paths['/api/v1/chatops/slack'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    for (const path of ['/api/v1/incidents/{id}/roles/{role}', '/api/v1/incidents/{id}/updates', '/api/v1/incidents/{id}/status-posts', '/api/v1/status-components', '/status/{page}']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });

  it('is off, with a 404, when no signing secret is configured', async () => {
    const off = await testApi();
    try {
      const response = await off.app.inject({ method: 'POST', url: '/api/v1/chatops/slack', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({}) });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toContain('VIGIL_SLACK_SIGNING_SECRET');
    } finally {
      await off.close();
    }
  });

  it('acknowledges and resolves in the channel, with the Slack user as actor on the timeline', async () => {
    const ack = await slash('ack INC-1');
    expect(ack.response_type).toBe('in_channel');
    expect(ack.text).toContain('acknowledged by alice');
    expect(ack.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    // Slack control sequences in titles are escaped, so an alert cannot ping the channel.
    expect(ack.text).toContain('&lt;!channel&gt;');
    expect(ack.text).not.toContain('<!channel>');
    expect(await timeline(1)).toMatchObject({ kind: 'incident.acknowledged', actor: { kind: 'chat', id: 'slack:T0001:U0ALICE', name: 'alice' } });

    const resolve = await slash('resolve INC-1 relayer restarted', { user_id: 'U0BOB', user_name: 'robert' });
    expect(resolve.response_type).toBe('in_channel');
    expect(resolve.text).toContain('resolved by bob: relayer restarted');
    expect(await timeline(1)).toMatchObject({ kind: 'incident.resolved', actor: { name: 'bob' }, body: { reason: 'relayer restarted' } });
  });

  it('assigns roles in either word order, with plain or escaped mentions, and hands over', async () => {
    const first = await slash('role ic @carol INC-1');
    expect(first.response_type).toBe('in_channel');
    expect(first.text).toContain('carol is incident commander of *INC-1*, assigned by alice');
    const handover = await slash('role INC-1 ic <@U0BOB|robert>');
    expect(handover.text).toContain('incident commander handed over from carol to bob by alice');
    expect(await timeline(1)).toMatchObject({ kind: 'role.handed_over', message: 'incident commander handed over from carol to bob by alice' });
    expect((await slash('role comms <@U0DAN|dan> 1')).text).toContain('dan is communications lead');
    const unknown = await slash('role ic <@U0NOBODY> INC-1');
    expect(unknown.response_type).toBe('ephemeral');
    expect(unknown.text).toContain('VIGIL_SLACK_USERS');
    expect((await slash('role INC-1 ic bob')).response_type).toBe('ephemeral');
  });

  it('adds notes and reports status, overall and for one incident', async () => {
    const note = await slash('note INC-2 gas back under 40 gwei');
    expect(note.response_type).toBe('in_channel');
    expect(await timeline(2)).toMatchObject({ kind: 'incident.note', message: 'gas back under 40 gwei', actor: { kind: 'chat' } });

    const overview = await slash('status');
    expect(overview.response_type).toBe('ephemeral');
    expect(overview.text).toContain('2 open incidents');
    expect(overview.text).toContain('SEV1: 1 · SEV3: 1');
    expect(overview.text.indexOf('INC-1')).toBeLessThan(overview.text.indexOf('INC-2'));

    await slash('role ic @carol INC-1');
    const one = await slash('status INC-1');
    expect(one.text).toContain('incident commander: carol');
    expect(one.text).toContain('SEV1 triggered');
  });

  it('explains mistakes ephemerally instead of failing', async () => {
    for (const [text, expected] of [
      ['ack', 'needs an incident'],
      ['ack INC-99', 'no incident INC-99'],
      ['dance INC-1', 'I do not know `dance`'],
      ['role janitor @bob INC-1', 'names no role'],
      ['note INC-1', 'the note is empty'],
      ['status nope', 'not an incident'],
    ] as const) {
      const answer = await slash(text);
      expect(answer.response_type, text).toBe('ephemeral');
      expect(answer.text, text).toContain(expected);
    }
    await slash('resolve INC-1');
    const again = await slash('resolve INC-1');
    expect(again.response_type).toBe('ephemeral');
    expect(again.text).toContain('cannot be resolved');
    const help = await slash('help');
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/vigil role ic @name INC-12');
    expect((await slash('')).text).toContain('/vigil ack INC-12');
  });
});
