/**
 * The JSON form of escalation policies and routing rules, checked with zod; every problem comes
 * back with its path (`levels.1.timeoutMinutes`).
 */
import { z } from 'zod';
import type { EscalationPolicy, EscalationRoute, EscalationTarget } from '../../core/escalation.js';
import { severities, type Severity } from '../../core/incident.js';

const name = z.string().trim().min(1, { message: 'must not be empty' }).max(120);
const severity = z.enum(severities as [Severity, ...Severity[]]);

const targetSchema = z.union(
  [
    z.strictObject({ person: name }).transform((t): EscalationTarget => ({ kind: 'person', handle: t.person })),
    z.strictObject({ schedule: name }).transform((t): EscalationTarget => ({ kind: 'schedule', schedule: t.schedule })),
    z.strictObject({ channel: name }).transform((t): EscalationTarget => ({ kind: 'channel', channel: t.channel })),
  ],
  { error: 'a target is { "person": HANDLE }, { "schedule": NAME } or { "channel": NAME }' },
);

const levelSchema = z.strictObject({
  name: name.optional(),
  targets: z.array(targetSchema).min(1, { message: 'a level needs at least one target' }).max(50),
  timeoutMinutes: z.int({ message: 'must be a whole number of minutes' }).min(1, { message: 'must be at least 1 minute' }).max(24 * 60),
});

/** A policy as JSON; parses to an `EscalationPolicy`. */
export const escalationPolicySchema = z
  .strictObject({
    name,
    description: z.string().max(2000).optional(),
    levels: z.array(levelSchema).min(1, { message: 'a policy needs at least one level' }).max(20),
    repeat: z.int().min(0).max(10).default(0),
    onSeverityRise: z.array(z.strictObject({ atLeast: severity, startAtLevel: z.int().min(1) })).max(5).default([]),
  })
  .superRefine((policy, context) => {
    policy.onSeverityRise.forEach((rule, index) => {
      if (rule.startAtLevel > policy.levels.length) {
        context.addIssue({ code: 'custom', message: `there is no level ${rule.startAtLevel}; the policy has ${policy.levels.length}`, path: ['onSeverityRise', index, 'startAtLevel'] });
      }
    });
  })
  .transform(
    (parsed): EscalationPolicy => ({
      name: parsed.name,
      ...(parsed.description === undefined ? {} : { description: parsed.description }),
      levels: parsed.levels.map((level, index) => ({ name: level.name ?? `level ${index + 1}`, targets: level.targets, timeoutMinutes: level.timeoutMinutes })),
      repeat: parsed.repeat,
      onSeverityRise: parsed.onSeverityRise,
    }),
  );

export type EscalationPolicyDefinition = z.input<typeof escalationPolicySchema>;

/** The policy as people write it: targets as `{ person }`, `{ schedule }`, `{ channel }`. */
export function policyDefinition(policy: EscalationPolicy): EscalationPolicyDefinition {
  return {
    name: policy.name,
    ...(policy.description === undefined ? {} : { description: policy.description }),
    levels: policy.levels.map((level) => ({
      name: level.name,
      timeoutMinutes: level.timeoutMinutes,
      targets: level.targets.map((t) => {
        switch (t.kind) {
          case 'person':
            return { person: t.handle };
          case 'schedule':
            return { schedule: t.schedule };
          case 'channel':
            return { channel: t.channel };
        }
      }),
    })),
    repeat: policy.repeat,
    onSeverityRise: [...policy.onSeverityRise],
  };
}

/** Ordered routing rules: the first whose match holds chooses the policy. */
export const escalationRoutesSchema = z
  .array(
    z.strictObject({
      match: z
        .strictObject({
          services: z.array(name).min(1).optional(),
          severities: z.array(severity).min(1).optional(),
          labels: z.record(z.string().min(1), z.string()).optional(),
        })
        .default({}),
      policy: name,
    }),
  )
  .max(500)
  .transform((routes): EscalationRoute[] =>
    routes.map((route) => ({
      policy: route.policy,
      match: {
        ...(route.match.services === undefined ? {} : { services: route.match.services }),
        ...(route.match.severities === undefined ? {} : { severities: route.match.severities }),
        ...(route.match.labels === undefined ? {} : { labels: route.match.labels }),
      },
    })),
  );
