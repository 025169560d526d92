import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { VigilError, type ErrorDetail } from '../../core/errors.js';
import { severities, type Severity } from '../../core/incident.js';
import { incidentRoles, parseIncidentRole } from '../../core/incident-role.js';
import { evidenceKinds, type Playbook, type PlaybookMatcher } from './playbook.js';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'use lowercase letters, digits, - and _ (at most 80)');
const text = (max: number) => z.string().trim().min(1).max(max);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(100)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** A regular expression that compiles; kept as text. */
const regex = z.string().min(1).max(500).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

const matcherSchema = z
  .strictObject({
    type: oneOrMany(text(200)).optional(),
    service: oneOrMany(text(200)).optional(),
    severity_at_least: z.enum(severities as [Severity, ...Severity[]]).optional(),
    labels: z.record(z.string().min(1).max(200), z.union([z.string().max(1000), z.strictObject({ regex })])).optional(),
  })
  .refine((m) => m.type !== undefined || m.service !== undefined || m.severity_at_least !== undefined || m.labels !== undefined, 'a matcher needs at least one of type, service, severity_at_least, labels')
  .transform((m): PlaybookMatcher => ({
    ...(m.type === undefined ? {} : { types: m.type }),
    ...(m.service === undefined ? {} : { services: m.service }),
    ...(m.severity_at_least === undefined ? {} : { severityAtLeast: m.severity_at_least }),
    ...(m.labels === undefined
      ? {}
      : { labels: Object.fromEntries(Object.entries(m.labels).map(([k, v]) => [k, typeof v === 'string' ? { equals: v } : { regex: v.regex }])) }),
  }));

const role = z.string().transform((value, ctx) => {
  const parsed = parseIncidentRole(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `is not an incident role (one of ${incidentRoles.join(', ')})` });
    return z.NEVER;
  }
  return parsed;
});

const commandSchema = z.union([text(4000).transform((run): { title?: string; run: string } => ({ run })), z.strictObject({ title: text(200).optional(), run: text(4000) })]);
const checkSchema = z.union([text(500), z.strictObject({ id: slug, question: text(500) })]);
const evidenceSchema = z.strictObject({
  name: slug,
  kind: z.enum(evidenceKinds as ['text', ...typeof evidenceKinds]),
  required: z.boolean().default(false),
  description: text(500).optional(),
});

const stepSchema = z
  .strictObject({
    id: slug,
    title: text(200),
    owner: role,
    instructions: text(20_000),
    commands: z.array(commandSchema).max(50).default([]),
    checks: z.array(checkSchema).max(50).default([]),
    evidence: z.array(evidenceSchema).max(50).default([]),
    requires_approval: slug.optional(),
  })
  .transform((s, ctx) => {
    const checks = s.checks.map((c, i) => (typeof c === 'string' ? { id: `check-${i + 1}`, question: c } : c));
    duplicates(checks.map((c) => c.id), ['checks'], ctx);
    duplicates(s.evidence.map((e) => e.name), ['evidence'], ctx);
    return {
      id: s.id,
      title: s.title,
      owner: s.owner,
      instructions: s.instructions,
      commands: s.commands.map((c) => ({ ...(c.title === undefined ? {} : { title: c.title }), run: c.run })),
      checks,
      evidence: s.evidence.map((e) => ({ name: e.name, kind: e.kind, required: e.required, ...(e.description === undefined ? {} : { description: e.description }) })),
      ...(s.requires_approval === undefined ? {} : { requiresApproval: s.requires_approval }),
    };
  });

function duplicates(values: readonly string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${v} is used twice` });
    seen.add(v);
  });
}

/**
 * One matcher or a list of them, told apart by shape before validating so that a problem is
 * reported at its own path (`match.labels.chain.regex`) rather than as "no union member fits".
 */
const matchField = z.unknown().transform((value, ctx): PlaybookMatcher[] => {
  const parsed = Array.isArray(value) ? z.array(matcherSchema).max(20).safeParse(value) : matcherSchema.safeParse(value);
  if (parsed.success) return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

/** A playbook as written (snake_case, YAML or JSON), validated and normalised. */
export const playbookSchema = z
  .strictObject({
    name: slug,
    title: text(200),
    description: text(5000),
    match: matchField.optional(),
    steps: z.array(stepSchema).min(1).max(100),
  })
  .superRefine((p, ctx) => duplicates(p.steps.map((s) => s.id), ['steps'], ctx))
  .transform(
    (p): Playbook => ({
      name: p.name,
      title: p.title,
      description: p.description,
      match: p.match ?? [],
      steps: p.steps,
    }),
  );

/** Validates a definition already parsed (JSON); VALIDATION_FAILED with every problem's path. */
export function parsePlaybook(definition: unknown, what = 'the playbook'): Playbook {
  const parsed = playbookSchema.safeParse(definition);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw invalid(what, details, parsed.error);
}

/**
 * Parses a playbook from YAML (JSON is YAML too). Every problem is reported with its path and,
 * from the YAML document, the line and column it is on: `steps.2.owner (line 31:12)`.
 */
export function parsePlaybookYaml(source: string, what = 'the playbook'): Playbook {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const at = lineCounter.linePos(e.pos[0]);
      return { path: `line ${at.line}:${at.col}`, message: e.message.split('\n')[0] ?? e.code };
    });
    throw invalid(`${what} (YAML)`, details, doc.errors[0]);
  }
  const parsed = playbookSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const line = lineOf(doc, lineCounter, issue.path);
    return { path: line === undefined ? path : `${path} (line ${line})`, message: issue.message };
  });
  throw invalid(what, details, parsed.error);
}

/** The line (and column) of the deepest node on `path` that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: readonly PropertyKey[]): string | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return undefined;
}

function invalid(what: string, details: readonly ErrorDetail[], cause: unknown): VigilError {
  const first = details[0];
  return new VigilError('VALIDATION_FAILED', `${what} is invalid at ${first?.path || '(root)'}: ${first?.message ?? 'unknown problem'}`, { details, cause });
}
