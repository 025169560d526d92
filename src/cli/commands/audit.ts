import { Command } from 'commander';
import { verifyAuditChain } from '../../record/audit-chain.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil audit verify`: exit 0 when the chain verifies, 1 with the first bad record otherwise. */
export function auditCommand(context: CliContext): Command {
  const audit = new Command('audit').description('the tamper-evident audit chain');
  audit
    .command('verify')
    .description('walk the audit chain and report ok, or the first record that does not verify')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withVigil(context, (vigil) => verifyAuditChain(vigil.store.read));
      print(context, {
        json: opts.json,
        value: result,
        human: () =>
          result.ok
            ? `ok: ${result.records} records verified, head ${result.head}`
            : `FAILED${result.failure.seq === null ? '' : ` at record ${result.failure.seq}`} (${result.failure.reason}): ${result.failure.message}; ${result.records} records verified`,
      });
      if (!result.ok) context.exitWith(1);
    });
  return audit;
}
