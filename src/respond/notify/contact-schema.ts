/**
 * The JSON forms of people and team channels, checked with zod. A contact method or a channel is
 * written flat: `{ "id": "phone", "kind": "telegram", "botToken": "...", "chatId": "42" }`. Every
 * problem comes back with its path (`methods.1.url`), so a person can find and fix it.
 */
import { z } from 'zod';
import type { ChannelConfig, ContactKind, ContactMethod, ContactRule } from '../../core/contact.js';
import { severities } from '../../core/incident.js';
import { MASK } from './secret-fields.js';

const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const email = z.email({ error: 'must be an email address' });
/** Handles are what schedules list as participants: no spaces, no slashes (they go in URLs). */
export const handleSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, { message: 'must be 1-100 letters, digits, dots, dashes, underscores or @, starting with a letter or digit' });
const severityList = z.array(z.enum(severities)).min(1, { message: 'must name at least one severity (SEV1..SEV5)' });

const smtpSchema = z.strictObject({
  host: nonEmpty,
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().default(false),
  user: nonEmpty.optional(),
  password: z.string().min(1).optional(),
  from: nonEmpty,
});

/** Each kind's own fields. */
const configShapes = {
  email: { to: z.union([email.transform((a) => [a]), z.array(email).min(1, { message: 'must list at least one address' })]), smtp: smtpSchema.optional() },
  webhook: { url: httpUrl, secret: z.string().refine((s) => s.includes(MASK) || s.length >= 16, { message: 'must be at least 16 characters' }).optional() },
  slack: { url: httpUrl },
  discord: { url: httpUrl },
  telegram: { botToken: nonEmpty, chatId: z.union([nonEmpty, z.number().int().transform(String)]), apiBaseUrl: httpUrl.optional() },
  teams: { url: httpUrl },
} as const;

function variants<E extends z.core.$ZodLooseShape>(extra: E) {
  return [
    z.strictObject({ kind: z.literal('email'), ...configShapes.email, ...extra }),
    z.strictObject({ kind: z.literal('webhook'), ...configShapes.webhook, ...extra }),
    z.strictObject({ kind: z.literal('slack'), ...configShapes.slack, ...extra }),
    z.strictObject({ kind: z.literal('discord'), ...configShapes.discord, ...extra }),
    z.strictObject({ kind: z.literal('telegram'), ...configShapes.telegram, ...extra }),
    z.strictObject({ kind: z.literal('teams'), ...configShapes.teams, ...extra }),
  ] as const;
}

const kindError = { error: 'must be one of email, webhook, slack, discord, telegram, teams' };

const methodSchema = z.discriminatedUnion('kind', variants({ id: handleSchema, label: z.string().trim().min(1).max(200).optional() }), kindError);

const ruleSchema = z.strictObject({
  severities: severityList,
  methods: z.array(nonEmpty).min(1, { message: 'must name at least one contact method id' }),
  delayMinutes: z.number().int().min(0).max(24 * 60).default(0),
});

/** A person as PUT to `/api/v1/people/{handle}` or given to `vigil person set`. */
export const personSchema = z
  .strictObject({
    handle: handleSchema,
    name: nonEmpty.max(200),
    methods: z.array(methodSchema).max(50).default([]),
    rules: z.array(ruleSchema).max(50).default([]),
    // What GET shows beside the definition; accepted and ignored so a GET can be PUT back.
    createdAt: z.unknown().optional(),
    updatedAt: z.unknown().optional(),
  })
  .superRefine((person, context) => {
    const ids = new Set<string>();
    person.methods.forEach((m, i) => {
      if (ids.has(m.id)) context.addIssue({ code: 'custom', message: `method id ${m.id} is used twice`, path: ['methods', i, 'id'] });
      ids.add(m.id);
    });
    person.rules.forEach((rule, r) =>
      rule.methods.forEach((id, i) => {
        if (!ids.has(id)) context.addIssue({ code: 'custom', message: `no contact method ${id} (methods: ${[...ids].join(', ') || 'none'})`, path: ['rules', r, 'methods', i] });
      }),
    );
  });

/** A team channel as POSTed to `/api/v1/channels`. */
export const channelSchema = z.discriminatedUnion(
  'kind',
  variants({
    name: nonEmpty.max(200).refine((n) => !n.includes('/'), { message: 'must not contain /' }),
    services: z.array(nonEmpty).default([]),
    severities: z.array(z.enum(severities)).default([]),
  }),
  kindError,
);

export type PersonInput = z.output<typeof personSchema>;
export type ChannelInput = z.output<typeof channelSchema>;

/** The config part of a parsed method or channel, without `undefined` in optional fields. */
export function configOf(input: { kind: ContactKind } & Record<string, unknown>): ChannelConfig {
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const { id: _id, label: _label, name: _name, services: _services, severities: _severities, ...rest } = input;
  const config = defined(rest);
  if (config.smtp !== undefined) config.smtp = defined(config.smtp as Record<string, unknown>);
  return config as unknown as ChannelConfig;
}

export function methodOf(input: PersonInput['methods'][number]): ContactMethod {
  return { id: input.id, ...(input.label === undefined ? {} : { label: input.label }), config: configOf(input) };
}

export function rulesOf(input: PersonInput['rules']): ContactRule[] {
  return input.map((r) => ({ severities: r.severities, methods: r.methods, delayMinutes: r.delayMinutes }));
}
