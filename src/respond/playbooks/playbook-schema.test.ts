import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPlaybookDir } from '../../app.js';
import { isVigilError } from '../../core/errors.js';
import { incidentRoles } from '../../core/incident-role.js';
import { builtinApprovalActions } from '../approvals/approval.js';
import { parsePlaybook, parsePlaybookYaml } from './playbook-schema.js';

const shipped = readdirSync(builtinPlaybookDir).filter((n) => n.endsWith('.yaml'));

function problem(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isVigilError(error, 'VALIDATION_FAILED')) return error;
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED');
}

const minimal = `name: tiny
title: Tiny
description: A test playbook
steps:
  - id: one
    title: First
    owner: ic
    instructions: Do it
`;

describe('playbook format', () => {
  it('ships the seven playbooks the issue names', () => {
    expect(shipped.sort()).toEqual([
      'chain-halt.yaml',
      'deep-reorg.yaml',
      'exchange-api-outage.yaml',
      'hot-wallet-compromise.yaml',
      'node-desync.yaml',
      'smart-contract-exploit.yaml',
      'withdrawal-pause-resume.yaml',
    ]);
  });

  it.each(shipped)('the shipped playbook %s loads, matches automatically, and names real roles and approval actions', (file) => {
    const playbook = parsePlaybookYaml(readFileSync(join(builtinPlaybookDir, file), 'utf8'), file);
    expect(`${playbook.name}.yaml`).toBe(file);
    expect(playbook.match.length).toBeGreaterThan(0);
    expect(playbook.steps.length).toBeGreaterThanOrEqual(4);
    for (const step of playbook.steps) {
      expect(incidentRoles).toContain(step.owner);
      if (step.requiresApproval !== undefined) expect(Object.keys(builtinApprovalActions)).toContain(step.requiresApproval);
    }
  });

  it('normalises role aliases, check and command shorthands, and a single matcher', () => {
    const playbook = parsePlaybookYaml(`${minimal}    checks: [Is it done?]
    commands: [echo hi]
    evidence:
      - { name: tx, kind: tx_hash, required: true }
match:
  type: HotWalletDrain
  labels: { chain: ethereum, wallet: { regex: '^hot-' } }
`);
    expect(playbook.steps[0]).toMatchObject({
      owner: 'incident_commander',
      checks: [{ id: 'check-1', question: 'Is it done?' }],
      commands: [{ run: 'echo hi' }],
      evidence: [{ name: 'tx', kind: 'tx_hash', required: true }],
    });
    expect(playbook.match).toEqual([{ types: ['HotWalletDrain'], labels: { chain: { equals: 'ethereum' }, wallet: { regex: '^hot-' } } }]);
  });

  it('reports a schema problem with its YAML path and line', () => {
    const error = problem(() => parsePlaybookYaml(minimal.replace('owner: ic', 'owner: janitor')));
    expect(error.details[0]).toEqual({ path: 'steps.0.owner (line 7:12)', message: expect.stringContaining('not an incident role') });
    expect(error.message).toContain('steps.0.owner (line 7:12)');
  });

  it('reports broken YAML with its line, and unknown fields, duplicate ids and bad regexes by path', () => {
    expect(problem(() => parsePlaybookYaml('name: [unclosed\n')).details[0]!.path).toMatch(/^line \d+:\d+$/);
    expect(problem(() => parsePlaybookYaml(`${minimal}    colour: red\n`)).details[0]!.path).toMatch(/^steps\.0/);
    const twice = `${minimal}  - id: one\n    title: Again\n    owner: scribe\n    instructions: x\n`;
    expect(problem(() => parsePlaybookYaml(twice)).details[0]!.path).toMatch(/^steps\.1/);
    expect(problem(() => parsePlaybookYaml(`${minimal}match: { labels: { chain: { regex: '(' } } }\n`)).details[0]!.path).toMatch(/^match\.labels\.chain\.regex/);
    expect(problem(() => parsePlaybookYaml(`${minimal}match: {}\n`)).details[0]!.message).toContain('at least one');
  });

  it('accepts the same definition as JSON', () => {
    const json = { name: 'tiny', title: 'Tiny', description: 'd', steps: [{ id: 'one', title: 'First', owner: 'scribe', instructions: 'x' }] };
    expect(parsePlaybook(json).steps[0]!.owner).toBe('scribe');
    expect(problem(() => parsePlaybook({ ...json, steps: [] })).details[0]!.path).toBe('steps');
  });
});
