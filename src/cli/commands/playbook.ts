import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { presentPlaybook, presentPlaybookSummary } from '../../http/present-playbooks.js';
import { parsePlaybookYaml } from '../../respond/playbooks/playbook-schema.js';
import type { Playbook } from '../../respond/playbooks/playbook.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function describePlaybook(p: Playbook): string {
  const lines = [`${p.name}: ${p.title}`, '', p.description.trim(), ''];
  if (p.match.length > 0) lines.push(`attaches when: ${p.match.map((m) => JSON.stringify(m)).join(' or ')}`, '');
  p.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${s.title}  [${s.id}, owner ${s.owner}${s.requiresApproval === undefined ? '' : `, needs approval ${s.requiresApproval}`}]`);
    for (const line of s.instructions.trim().split('\n')) lines.push(`     ${line}`);
    for (const c of s.commands) lines.push(`     $ ${c.run}`);
    for (const c of s.checks) lines.push(`     [ ] ${c.question} (${c.id})`);
    for (const e of s.evidence) lines.push(`     evidence ${e.name}: ${e.kind}${e.required ? ', required' : ''}`);
  });
  return lines.join('\n');
}

/** `vigil playbook list|show|validate|put`: the playbook catalogue. */
export function playbookCommand(context: CliContext): Command {
  const playbook = new Command('playbook').description('response playbooks: list, show, validate a file, add or replace one');

  playbook
    .command('list')
    .description('every playbook: built-in, from --playbook-dir, and stored')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.playbooks.catalog.all(vigil.store.read));
      print(context, {
        json: opts.json,
        value: { playbooks: list.map(presentPlaybookSummary) },
        human: () => list.map((e) => `${e.playbook.name.padEnd(28)} ${e.source.padEnd(9)} ${String(e.playbook.steps.length).padStart(2)} steps  ${e.playbook.title}`).join('\n'),
      });
    });

  playbook
    .command('show')
    .description('a playbook with its steps')
    .argument('<name>', 'playbook name')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const entry = await withVigil(context, (vigil) => vigil.playbooks.catalog.find(vigil.store.read, name));
      print(context, { json: opts.json, value: { playbook: presentPlaybook(entry) }, human: () => describePlaybook(entry.playbook) });
    });

  playbook
    .command('validate')
    .description('check a playbook file (YAML or JSON) without storing it; exit 1 with the path and line of the first problem')
    .argument('<file>', 'the playbook file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const parsed = parsePlaybookYaml(await readText(file), `the playbook ${file}`);
      print(context, { json: opts.json, value: { ok: true, playbook: parsed }, human: () => `ok: ${parsed.name} (${parsed.steps.length} steps)` });
    });

  playbook
    .command('put')
    .description('add a playbook from a file, or replace the one with the same name (a built-in too)')
    .argument('<file>', 'the playbook file (YAML or JSON)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const text = await readText(file);
      const name = parsePlaybookYaml(text, `the playbook ${file}`).name;
      const stored = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.playbooks.put(tx, { name, body: text, actor: context.actor })));
      print(context, { json: opts.json, value: { playbook: stored.playbook }, human: () => `playbook ${name} saved (${stored.playbook.steps.length} steps)` });
    });

  return playbook;
}
