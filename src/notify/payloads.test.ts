import { describe, expect, it } from 'vitest';
import type { Notification } from '../core/notifier.js';
import { discordBody } from './discord.js';
import { emailContent } from './email.js';
import { slackBody } from './slack.js';
import { teamsBody } from './teams.js';
import { telegramBody } from './telegram.js';
import { webhookBody, webhookSignature } from './webhook.js';

const n: Notification = {
  about: 'incident',
  id: 'msg-1',
  incidentId: 'inc-1',
  incidentRef: 'INC-7',
  title: 'Bridge <outflow> & drain',
  service: 'bridge',
  severity: 'SEV1',
  status: 'triggered',
  reason: 'escalation level 2',
  url: 'https://vigil.example.test/incidents/INC-7',
  at: Date.parse('2026-11-23T10:00:00.000Z'),
};

describe('channel payloads', () => {
  it('a generic webhook gets the incident as JSON and a signature over timestamp.body', () => {
    expect(webhookBody(n)).toEqual({
      type: 'vigil.notification',
      id: 'msg-1',
      reason: 'escalation level 2',
      sentAt: '2026-11-23T10:00:00.000Z',
      incident: { id: 'inc-1', ref: 'INC-7', title: 'Bridge <outflow> & drain', service: 'bridge', severity: 'SEV1', status: 'triggered', url: 'https://vigil.example.test/incidents/INC-7' },
    });
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(webhookSignature('secret', '1700000000', '{"a":1}')).toBe('sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686');
  });

  it('Slack gets fallback text and blocks: header, fields, and a button to the console', () => {
    expect(slackBody(n)).toEqual({
      text: '[SEV1] INC-7 Bridge <outflow> & drain\nSeverity: SEV1\nStatus: triggered\nService: bridge\nReason: escalation level 2\nOpen: https://vigil.example.test/incidents/INC-7',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[SEV1] INC-7 Bridge <outflow> & drain', emoji: false } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\nSEV1' },
            { type: 'mrkdwn', text: '*Status*\ntriggered' },
            { type: 'mrkdwn', text: '*Service*\nbridge' },
            { type: 'mrkdwn', text: '*Reason*\nescalation level 2' },
          ],
        },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open INC-7' }, url: 'https://vigil.example.test/incidents/INC-7' }] },
      ],
    });
  });

  it('Discord gets content and one embed with the severity colour, and may ping nobody', () => {
    expect(discordBody(n)).toEqual({
      content: '[SEV1] INC-7 Bridge <outflow> & drain',
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'INC-7 Bridge <outflow> & drain',
          description: 'escalation level 2',
          color: 0xd32f2f,
          url: 'https://vigil.example.test/incidents/INC-7',
          timestamp: '2026-11-23T10:00:00.000Z',
          fields: [
            { name: 'Severity', value: 'SEV1', inline: true },
            { name: 'Status', value: 'triggered', inline: true },
            { name: 'Service', value: 'bridge', inline: true },
          ],
          footer: { text: 'Vigil' },
        },
      ],
    });
  });

  it('Telegram gets a sendMessage body in HTML parse mode with the incident escaped', () => {
    expect(telegramBody({ chatId: '-100123' }, n)).toEqual({
      chat_id: '-100123',
      text: '<b>[SEV1] INC-7 Bridge &lt;outflow&gt; &amp; drain</b>\nSeverity: SEV1\nStatus: triggered\nService: bridge\nReason: escalation level 2\n<a href="https://vigil.example.test/incidents/INC-7">Open INC-7</a>',
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
  });

  it('Teams gets an Adaptive Card with a fact set and an Open action', () => {
    expect(teamsBody(n)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: '[SEV1] INC-7 Bridge <outflow> & drain', weight: 'Bolder', size: 'Medium', wrap: true, color: 'Attention' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Severity', value: 'SEV1' },
                  { title: 'Status', value: 'triggered' },
                  { title: 'Service', value: 'bridge' },
                  { title: 'Reason', value: 'escalation level 2' },
                ],
              },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open INC-7', url: 'https://vigil.example.test/incidents/INC-7' }],
          },
        },
      ],
    });
  });

  it('an email has a subject with severity, INC-n and status, plain text, and escaped HTML', () => {
    const content = emailContent(n);
    expect(content.subject).toBe('[SEV1] INC-7 Bridge <outflow> & drain (triggered)');
    expect(content.text).toBe('[SEV1] INC-7 Bridge <outflow> & drain\nSeverity: SEV1\nStatus: triggered\nService: bridge\nReason: escalation level 2\nOpen: https://vigil.example.test/incidents/INC-7\n');
    expect(content.html).toContain('<h2>[SEV1] INC-7 Bridge &lt;outflow&gt; &amp; drain</h2>');
    expect(content.html).toContain('<a href="https://vigil.example.test/incidents/INC-7">Open INC-7 in Vigil</a>');
  });

  it('without a public URL no message carries a link', () => {
    const plain = { ...n, url: null };
    expect(slackBody(plain).blocks).toHaveLength(2);
    expect(discordBody(plain).embeds[0]).not.toHaveProperty('url');
    expect(teamsBody(plain).attachments[0]!.content.actions).toEqual([]);
    expect(telegramBody({ chatId: '1' }, plain).text).not.toContain('<a ');
  });
});

describe('channel payloads for a notice about no incident', () => {
  const notice: Notification = {
    about: 'notice',
    id: 'msg-2',
    subject: 'silence 01JD',
    title: 'Silence ends in 15 min: {chain="ethereum"}',
    facts: [
      { label: 'Comment', value: 'geth <upgrade>' },
      { label: 'Ends', value: '2026-11-23T11:00:00.000Z' },
    ],
    reason: 'silence ending soon',
    url: null,
    at: Date.parse('2026-11-23T10:45:00.000Z'),
  };

  it('every channel leads with the notice, carries its facts, and names no incident', () => {
    expect(webhookBody(notice)).toEqual({
      type: 'vigil.notification',
      id: 'msg-2',
      reason: 'silence ending soon',
      sentAt: '2026-11-23T10:45:00.000Z',
      notice: { subject: 'silence 01JD', title: 'Silence ends in 15 min: {chain="ethereum"}', facts: notice.facts, url: null },
    });
    const slack = slackBody(notice);
    expect(slack.text.split('\n')[0]).toBe('[Vigil] Silence ends in 15 min: {chain="ethereum"}');
    expect(JSON.stringify(slack.blocks)).toContain('geth &lt;upgrade&gt;');
    const discord = discordBody(notice);
    expect(discord.embeds[0]).toMatchObject({ title: 'silence 01JD Silence ends in 15 min: {chain="ethereum"}', color: 0x607d8b });
    expect(discord.embeds[0]?.fields.map((f) => f.name)).toEqual(['Comment', 'Ends', 'Reason']);
    expect(emailContent(notice).subject).toBe('[Vigil] Silence ends in 15 min: {chain="ethereum"}');
    expect(emailContent(notice).html).toContain('geth &lt;upgrade&gt;');
    expect(telegramBody({ chatId: '1' }, notice).text).toContain('Comment: geth &lt;upgrade&gt;');
    expect(JSON.stringify(teamsBody(notice))).toContain('"color":"Default"');
  });
});
